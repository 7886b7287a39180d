using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Cases;
using Relay.Core.Statistics;
using Relay.Host.Dashboard;
using Relay.Host.Transparency;
using Relay.Tests.Harness;

namespace Relay.Tests.Dashboard;

/// <summary>
/// The Figures page and the transparency download over real HTTP. Beside the world's two cases (room A, room B, no
/// category), room A gets an <c>m.harassment</c> case and case A is acknowledged: room A then has 2 reports, room B 1.
/// </summary>
public sealed class DashboardFiguresTests : IAsyncLifetime
{
    private DashboardWorld _world = null!;
    private Case _harassment = null!;

    public async Task InitializeAsync()
    {
        _world = await DashboardWorld.CreateAsync();
        // Another sender than case A's: reports about one sender's messages in one room join one case.
        var threats = _world.A.Relay.Message(_world.A.Room, _world.A.U("member3"), "threats");
        _harassment = await _world.A.ReportAsync(threats, reason: "he threatened me", category: "m.harassment");
        await _world.Relay.RunQueueAsync();
        using var mod = await _world.SignedInAsync(_world.Mod);
        Assert.Equal(HttpStatusCode.Redirect, (await mod.ActAsync(_world.CaseA.Id.Value, "ack")).StatusCode);
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Without_a_session_the_page_and_the_download_send_the_browser_to_sign_in()
    {
        using var browser = _world.NewBrowser();

        foreach (var path in new[] { "/_relay/figures", "/_relay/figures/transparency?format=csv" })
        {
            var response = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/_relay/sign-in", response.Headers.Location?.OriginalString);
        }
    }

    [Fact]
    public async Task An_admin_sees_every_room_counted_in_the_tables_with_a_chart_for_each()
    {
        using var browser = await _world.SignedInAsync(_world.Admin);

        var page = await browser.PageAsync("/_relay/figures");

        foreach (var (day, count) in await ReportsPerDayAsync(_world.CaseA, _world.CaseB, _harassment))
        {
            Assert.Equal(count.ToString(), Cell(page, "reports-per-day-table", day));
        }
        Assert.Equal(30, Rows(page, "reports-per-day-table"));
        Assert.Equal("2", Cell(page, "cases-by-category-table", "Unspecified"));
        Assert.Equal("1", Cell(page, "cases-by-category-table", "Harassment"));
        Assert.Equal("1", Cell(page, "handling-times-table", "Time to acknowledge"));
        Assert.Equal("0", Cell(page, "handling-times-table", "Time to close"));
        Assert.Contains("Nothing was escalated in the period.", page);
        Assert.Contains("every case in the community", page);
        Assert.Contains("<svg class=\"chart\"", page);
        Assert.Contains("role=\"img\" aria-labelledby=\"reports-per-day-chart-title reports-per-day-chart-desc\"", page);
        Assert.Contains("<title id=\"cases-by-category-chart-title\">Cases by category</title>", page);
        Assert.DoesNotContain(" style=", page);
    }

    [Fact]
    public async Task A_moderator_of_room_A_sees_room_A_counts_and_nothing_of_room_B()
    {
        using var a = await _world.SignedInAsync(_world.Mod);
        using var b = await _world.SignedInAsync(_world.ModB);

        var pageA = await a.PageAsync("/_relay/figures");
        var pageB = await b.PageAsync("/_relay/figures");

        Assert.Equal(2, Total(pageA, "reports-per-day-table"));
        Assert.Equal("1", Cell(pageA, "cases-by-category-table", "Unspecified"));
        Assert.Equal("1", Cell(pageA, "cases-by-category-table", "Harassment"));
        Assert.Equal("1", Cell(pageA, "handling-times-table", "Time to acknowledge"));
        Assert.Contains("only the cases about the 1 room you moderate now", pageA);
        Assert.Equal(1, Total(pageB, "reports-per-day-table"));
        Assert.Equal("1", Cell(pageB, "cases-by-category-table", "Unspecified"));
        Assert.DoesNotContain("Harassment", pageB);
        Assert.Equal("0", Cell(pageB, "handling-times-table", "Time to acknowledge"));
    }

    [Theory]
    [InlineData("from=2026-13-01", "“From” is not a date")]
    [InlineData("to=yesterday", "“To” is not a date")]
    [InlineData("from=2026-10-31&to=2026-10-01", "is after")]
    [InlineData("from=2025-01-01&to=2026-02-01", "at most 366")]
    public async Task A_bad_period_gets_a_400_page_that_says_why(string query, string why)
    {
        using var browser = await _world.SignedInAsync(_world.Mod);

        foreach (var path in new[] { "/_relay/figures?", "/_relay/figures/transparency?format=csv&" })
        {
            var response = await browser.GetAsync(path + query);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("role=\"alert\"", html);
            Assert.Contains(why, WebUtility.HtmlDecode(html));
            Assert.Null(response.Content.Headers.ContentDisposition);
        }
    }

    [Fact]
    public async Task The_download_is_what_the_cli_prints_for_the_same_period_as_an_attachment()
    {
        using var browser = await _world.SignedInAsync(_world.Admin);
        var (from, to) = SinceYesterday();

        var response = await browser.GetAsync($"/_relay/figures/transparency?from={from}&to={to}&format=csv");
        var csv = await response.Content.ReadAsStringAsync();
        var (code, cli, error) = await RelayCliProcess.RunWithDataAsync(_world.Relay.DataPath, "report", "transparency", "--from", from, "--to", to);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"attachment; filename=relay-transparency-{from}-{to}.csv", response.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.True(code == 0, error);
        Assert.Equal(cli, csv);
        Assert.Contains("notices,received,3\n", csv);
        Assert.Contains("notices_by_category,m.harassment,1\n", csv);
        AssertNothingPersonal(csv);
    }

    [Fact]
    public async Task A_moderator_downloads_json_for_their_rooms_only_rendered_by_the_shared_formatter()
    {
        using var browser = await _world.SignedInAsync(_world.Mod);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (from, to) = SinceYesterday();

        var response = await browser.GetAsync($"/_relay/figures/transparency?from={from}&to={to}&format=json");
        var json = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"attachment; filename=relay-transparency-{from}-{to}.json", response.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var parsed = JsonNode.Parse(json)!;
        Assert.Equal(2, (int)parsed["notices_received"]!);
        Assert.Equal(from, (string?)parsed["from"]);
        AssertNothingPersonal(json);
        // The same bytes as the shared formatter gives for the same cases (generated_at aside, which is the time of asking).
        var statistics = _world.Relay.App.Services.GetRequiredService<CaseStatistics>();
        var roomA = _world.CaseA.Target.Room;
        var expected = TransparencyExport.Render(
            await statistics.GetTransparencyReportAsync(ReportingPeriod.Days(today.AddDays(-1), today), c => c.Target.Room == roomA), TransparencyExport.Json);
        Assert.Equal(WithoutGeneratedAt(expected), WithoutGeneratedAt(json));
    }

    [Fact]
    public async Task An_unknown_format_is_refused()
    {
        using var browser = await _world.SignedInAsync(_world.Mod);

        var response = await browser.GetAsync("/_relay/figures/transparency?format=xml");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("csv or json", await response.Content.ReadAsStringAsync());
    }

    private void AssertNothingPersonal(string text)
    {
        Assert.DoesNotContain("@", text);
        Assert.DoesNotContain("!", text);
        Assert.DoesNotContain("$", text);
        Assert.DoesNotContain("spam links", text);
        Assert.DoesNotContain("threatened", text);
        Assert.DoesNotContain(_world.Relay.Homeserver.ServerName, text);
    }

    private async Task<Dictionary<string, int>> ReportsPerDayAsync(params Case[] cases)
    {
        var reports = new List<Relay.Core.Reports.Report>();
        foreach (var c in cases)
        {
            reports.AddRange(await _world.Relay.Cases.GetReportsAsync(c.Id));
        }
        return reports.CountBy(r => FiguresPeriod.Day(DateOnly.FromDateTime(r.ReceivedAt.UtcDateTime))).ToDictionary();
    }

    private static string Table(string page, string id)
    {
        var match = Regex.Match(page, $"<table id=\"{id}\">.*?</table>", RegexOptions.Singleline);
        Assert.True(match.Success, $"No table {id} on the page.");
        return match.Value;
    }

    /// <summary>The first data cell of the row headed <paramref name="row"/>.</summary>
    private static string Cell(string page, string table, string row)
    {
        var match = Regex.Match(Table(page, table), $"<tr><th scope=\"row\">{Regex.Escape(row)}</th><td>([^<]*)</td>");
        Assert.True(match.Success, $"No row {row} in {table}.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static int Rows(string page, string table) => Regex.Count(Table(page, table), "<th scope=\"row\">");

    private static int Total(string page, string table) =>
        Regex.Matches(Table(page, table), "</th><td>([0-9]+)</td>").Sum(m => int.Parse(m.Groups[1].Value));

    private static string WithoutGeneratedAt(string json) => Regex.Replace(json, "\"generated_at\": \"[^\"]*\"", "");

    /// <summary>Yesterday and today (UTC): the cases are made with the real clock, so a run that crosses midnight still counts them all.</summary>
    private static (string From, string To) SinceYesterday()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return (FiguresPeriod.Day(today.AddDays(-1)), FiguresPeriod.Day(today));
    }
}
