using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Cases;
using Relay.Core.Reports;
using Relay.Host.Cli;
using Relay.Sqlite;

namespace Relay.Tests.WebForm;

public sealed class WebFormReportingTests
{
    [Fact]
    public async Task Event_link_in_a_protected_room_files_an_unauthenticated_report_and_confirms_with_the_case_reference()
    {
        await using var s = await WebFormSetup.StartAsync();

        var (response, html) = await s.PostAsync(s.SpamReport(contact: "reporter@example.org"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var @case = Assert.Single(await s.CasesAsync());
        Assert.Equal(@case.Id.Short, WebFormSetup.Reference(html));
        var target = Assert.IsType<ReportTarget.Event>(@case.Target);
        Assert.Equal((s.Room, s.Spam, s.Spammer, "m.room.message"),
            (target.RoomId.Value, target.EventId.Value, target.Sender.Value, target.EventType));
        var report = Assert.Single(await s.Relay.Cases.GetReportsAsync(@case.Id));
        Assert.Equal(ReportSource.WebForm, report.Source);
        Assert.Null(report.Reporter);
        Assert.Equal("reporter@example.org", report.ContactEmail);
        Assert.Equal("m.spam.fraud", report.Category?.Id);
        Assert.Equal("phishing", report.Reason);
        var filed = (await s.Relay.Cases.GetAuditAsync(@case.Id)).Single(a => a.Action == "report.filed");
        Assert.Contains("source=WebForm", filed.Detail, StringComparison.Ordinal);
        Assert.Contains("unauthenticated", filed.Detail, StringComparison.Ordinal);
        Assert.Empty(s.Relay.Homeserver.Violations);
    }

    [Fact]
    public async Task Cases_show_marks_a_web_report_as_web_form_with_contact_without_printing_the_contact()
    {
        await using var s = await WebFormSetup.StartAsync();
        await s.PostAsync(s.SpamReport(contact: "reporter@example.org"));
        var @case = Assert.Single(await s.CasesAsync());

        var detail = new CaseDetailView(CaseView.From(@case),
            [.. (await s.Relay.Cases.GetReportsAsync(@case.Id)).Select(ReportView.From)], []);
        var text = CaseTable.Format(detail);

        Assert.Contains("(web form, contact given)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("reporter@example.org", text, StringComparison.Ordinal);
        Assert.True(Assert.Single(detail.Reports).Unauthenticated);
    }

    [Fact]
    public async Task Second_web_report_from_another_address_joins_the_case_as_a_distinct_reporter()
    {
        await using var s = await WebFormSetup.StartAsync();

        var (_, first) = await s.PostAsync(s.SpamReport(), from: "192.0.2.10");
        var (second, html) = await s.PostAsync(s.SpamReport(description: "same spam"), from: "198.51.100.20");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var @case = Assert.Single(await s.CasesAsync());
        Assert.Equal((2, 2), (@case.ReporterCount, @case.ReportCount));
        Assert.Equal(WebFormSetup.Reference(first), WebFormSetup.Reference(html));
        Assert.Empty(s.Relay.Homeserver.Violations);
    }

    [Fact]
    public async Task Same_contact_twice_counts_once_even_from_two_addresses()
    {
        await using var s = await WebFormSetup.StartAsync();

        await s.PostAsync(s.SpamReport(contact: "reporter@example.org"), from: "192.0.2.10");
        await s.PostAsync(s.SpamReport(contact: "Reporter@Example.org"), from: "198.51.100.20");

        var @case = Assert.Single(await s.CasesAsync());
        Assert.Equal((1, 2), (@case.ReporterCount, @case.ReportCount));
    }

    [Fact]
    public async Task Alias_link_resolves_through_the_bot()
    {
        await using var s = await WebFormSetup.StartAsync();
        var alias = $"#community:{s.Relay.Homeserver.ServerName}";
        s.Relay.Homeserver.AddAlias(alias, s.Room);

        var (response, _) = await s.PostAsync(WebFormSetup.Fields($"https://matrix.to/#/{Uri.EscapeDataString(alias)}/{s.Spam}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var target = Assert.IsType<ReportTarget.Event>(Assert.Single(await s.CasesAsync()).Target);
        Assert.Equal(s.Room, target.RoomId.Value);
        Assert.Empty(s.Relay.Homeserver.Violations);
    }

    [Fact]
    public async Task Bare_room_id_files_a_report_about_the_room()
    {
        await using var s = await WebFormSetup.StartAsync();

        var (response, _) = await s.PostAsync(WebFormSetup.Fields(s.Room, harm: "m.harassment.hate"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var target = Assert.IsType<ReportTarget.RoomTarget>(Assert.Single(await s.CasesAsync()).Target);
        Assert.Equal(s.Room, target.RoomId.Value);
    }

    [Fact]
    public async Task Link_to_a_room_relay_does_not_protect_is_refused_and_nothing_is_stored()
    {
        await using var s = await WebFormSetup.StartAsync();
        var elsewhere = s.Relay.Room(s.Spammer);
        var ev = s.Relay.Message(elsewhere, s.Spammer);

        var (response, html) = await s.PostAsync(WebFormSetup.Fields($"https://matrix.to/#/{elsewhere}/{ev}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Relay does not look after this room", html, StringComparison.Ordinal);
        Assert.Contains("<form", html, StringComparison.Ordinal);
        Assert.Empty(await s.CasesAsync());
        Assert.Empty(s.Relay.Homeserver.Violations);
    }

    [Fact]
    public async Task Link_to_a_missing_event_is_refused()
    {
        await using var s = await WebFormSetup.StartAsync();

        var (response, html) = await s.PostAsync(WebFormSetup.Fields($"https://matrix.to/#/{s.Room}/$missing:example.org"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("could not find that message", html, StringComparison.Ordinal);
        Assert.Empty(await s.CasesAsync());
        Assert.Empty(s.Relay.Homeserver.Violations);
    }

    [Fact]
    public async Task Unknown_alias_is_refused()
    {
        await using var s = await WebFormSetup.StartAsync();

        var (response, html) = await s.PostAsync(WebFormSetup.Fields("#nowhere:example.org"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("No room has the address #nowhere:example.org", html, StringComparison.Ordinal);
        Assert.Empty(await s.CasesAsync());
    }

    [Fact]
    public async Task Homeserver_outage_answers_502_with_the_form_kept_and_stores_nothing()
    {
        await using var s = await WebFormSetup.StartAsync();
        s.Relay.Homeserver.InjectFault(r => r.Path.Contains("/event/", StringComparison.Ordinal), TestHomeserver.Fault.Status(503), times: 10);

        var (response, html) = await s.PostAsync(s.SpamReport("phishing link in the lobby"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("could not reach the Matrix server just now, so nothing was stored", html, StringComparison.Ordinal);
        Assert.Contains("<form", html, StringComparison.Ordinal);
        Assert.Contains("phishing link in the lobby", html, StringComparison.Ordinal);
        Assert.Empty(await s.CasesAsync());
    }

    [Fact]
    public async Task Store_outage_answers_503_with_the_form_kept_and_stores_nothing()
    {
        await using var s = await WebFormSetup.StartAsync(services: services =>
            services.AddSingleton<IReportStore>(sp => new CommitFailingStore(sp.GetRequiredService<SqliteReportStore>())));

        var (response, html) = await s.PostAsync(s.SpamReport("phishing link in the lobby"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("could not store your report just now, so nothing was recorded", html, StringComparison.Ordinal);
        Assert.Contains("<form", html, StringComparison.Ordinal);
        Assert.Contains("phishing link in the lobby", html, StringComparison.Ordinal);
        Assert.Empty(await s.CasesAsync());
    }

    /// <summary>Reads work; every commit fails the way a full or unreachable disk makes SQLite fail.</summary>
    private sealed class CommitFailingStore(IReportStore inner) : IReportStore
    {
        public Task<OpenCaseSnapshot?> FindOpenCaseAsync(string dedupeKey, string reporterHash, CancellationToken cancellationToken = default) =>
            inner.FindOpenCaseAsync(dedupeKey, reporterHash, cancellationToken);

        public Task<Report?> FindReportByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default) =>
            inner.FindReportByIdempotencyKeyAsync(idempotencyKey, cancellationToken);

        public Task CommitAsync(ReportCommit commit, CancellationToken cancellationToken = default) =>
            throw new Microsoft.Data.Sqlite.SqliteException("disk I/O error", 10);
    }

    [Fact]
    public async Task Too_many_reports_from_one_address_answer_429_with_retry_after()
    {
        await using var s = await WebFormSetup.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:Reports:WebFormPerAddressPerMinute"] = "2",
        });

        await s.PostAsync(s.SpamReport(), from: "192.0.2.10");
        await s.PostAsync(s.SpamReport(), from: "192.0.2.10");
        var (limited, html) = await s.PostAsync(s.SpamReport(description: "third"), from: "192.0.2.10");
        var (other, _) = await s.PostAsync(s.SpamReport(), from: "192.0.2.11");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("Too many reports", html, StringComparison.Ordinal);
        Assert.Contains(">third</textarea>", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(3, Assert.Single(await s.CasesAsync()).ReportCount);
    }

    [Fact]
    public async Task Forwarded_for_is_ignored_unless_trusted_so_a_client_cannot_pick_its_own_address()
    {
        await using var s = await WebFormSetup.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:Http:TrustForwardedFor"] = "false",
            ["Relay:Reports:WebFormPerAddressPerMinute"] = "1",
        });

        var (first, _) = await s.PostAsync(s.SpamReport(), from: "192.0.2.10");
        var (second, _) = await s.PostAsync(s.SpamReport(), from: "192.0.2.11");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
    }

    [Fact]
    public async Task Trusted_forwarded_for_takes_only_the_entry_the_proxy_added()
    {
        await using var s = await WebFormSetup.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:Reports:WebFormPerAddressPerMinute"] = "1",
        });

        var (first, _) = await s.PostAsync(s.SpamReport(), from: "203.0.113.1, 192.0.2.10");
        var (spoofed, _) = await s.PostAsync(s.SpamReport(), from: "203.0.113.2, 192.0.2.10");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, spoofed.StatusCode);
    }

    /// <summary>
    /// Azure's front end appends the client as <c>ip:port</c> to X-Forwarded-For, and the Functions host passes the
    /// request on from loopback with the front end's headers (infra-bicep sets Relay__Http__TrustForwardedFor).
    /// </summary>
    [Fact]
    public async Task Behind_the_Functions_front_end_each_client_address_has_its_own_limit_whatever_its_port()
    {
        await using var s = await WebFormSetup.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:Reports:WebFormPerAddressPerMinute"] = "1",
        });

        var (first, _) = await s.PostAsync(s.SpamReport(), from: "203.0.113.7:50123");
        var (samePersonNewPort, _) = await s.PostAsync(s.SpamReport(), from: "198.51.100.1, 203.0.113.7:50999");
        var (someoneElse, _) = await s.PostAsync(s.SpamReport(), from: "203.0.113.8:50123");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, samePersonNewPort.StatusCode);
        Assert.Equal(HttpStatusCode.OK, someoneElse.StatusCode);
    }

    [Fact]
    public async Task Filled_honeypot_gets_the_confirmation_but_nothing_is_stored()
    {
        await using var s = await WebFormSetup.StartAsync();

        var (response, html) = await s.PostAsync(WebFormSetup.Fields(s.SpamLink, website: "http://spam.example"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("^[0-9A-Z]{8}$", WebFormSetup.Reference(html));
        Assert.Empty(await s.CasesAsync());
        Assert.DoesNotContain(s.Relay.Homeserver.Requests, r => r.Path.Contains("/event/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_hold_neither_the_description_nor_the_contact()
    {
        await using var s = await WebFormSetup.StartAsync();
        const string Description = "secret-description-5d1e";
        const string Contact = "secret-contact-9a2b@example.org";

        await s.PostAsync(s.SpamReport(description: Description, contact: Contact));
        await s.PostAsync(WebFormSetup.Fields("not a link", description: Description, contact: Contact));
        await s.PostAsync(WebFormSetup.Fields(s.SpamLink, description: Description, contact: Contact, website: "x"));

        var logs = s.Relay.Logs.GetSnapshot();
        Assert.NotEmpty(logs);
        foreach (var record in logs)
        {
            var text = record.Message + " " + record.Exception + " "
                + string.Join(' ', record.StructuredState?.Select(kv => kv.Value) ?? []);
            Assert.DoesNotContain(Description, text, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-contact", text, StringComparison.Ordinal);
            Assert.DoesNotContain("192.0.2.10", text, StringComparison.Ordinal);
        }
    }
}
