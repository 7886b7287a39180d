using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Relay.Core.Cases;
using Relay.Tests.Cases;

namespace Relay.Tests.Dashboard;

/// <summary>
/// What a moderator reads and does on the dashboard beyond acknowledging: rooms by name, what was reported and by whom it was
/// sent, the first reason, overdue cases marked, the case room's enforcement actions under the same re-check, and the audit
/// trail in words.
/// </summary>
public sealed class DashboardModerationTests : IAsyncLifetime
{
    private DashboardWorld _world = null!;

    public async Task InitializeAsync() => _world = await DashboardWorld.CreateAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private static string E(string text) => System.Text.Encodings.Web.HtmlEncoder.Default.Encode(text);

    [Fact]
    public async Task The_list_names_rooms_with_their_id_on_hover_says_what_was_reported_and_previews_the_first_reason()
    {
        using var browser = await _world.SignedInAsync(_world.Mod);

        var list = await browser.PageAsync("/_relay/cases");

        Assert.Contains($"<span class=\"room\" title=\"{E(_world.RoomA)}\">{DashboardWorld.RoomAName}</span>", list);
        Assert.Contains($"Message sent by <code>{E(_world.A.Spammer)}</code> in", list);
        Assert.Contains("spam links in room A", list);
        Assert.Contains($"{DashboardWorld.RoomAName} ({E(_world.RoomA)})", list);
    }

    [Fact]
    public async Task An_overdue_case_is_marked_in_the_list()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var world = await DashboardWorld.CreateAsync(services: s => s.AddSingleton<TimeProvider>(time));
        using var browser = await world.SignedInAsync(world.Mod);
        Assert.DoesNotContain("Overdue since", await browser.PageAsync("/_relay/cases"));

        time.Advance(TimeSpan.FromHours(2));

        var list = await browser.PageAsync("/_relay/cases");
        Assert.Contains("<tr class=\"late\">", list);
        Assert.Contains("Overdue since", list);
    }

    [Fact]
    public async Task The_case_page_offers_what_applies_and_hides_acknowledge_once_done()
    {
        using var browser = await _world.SignedInAsync(_world.Mod);
        var path = "/_relay/cases/" + _world.CaseA.Id.Value;

        var page = await browser.PageAsync(path);
        foreach (var command in new[] { "ack", "redact", "kick", "ban", "escalate", "dismiss", "resolve" })
        {
            Assert.Contains($"name=\"action\" value=\"{command}\"", page);
        }
        Assert.DoesNotContain("value=\"policy-ban\"", page);

        await browser.ActAsync(_world.CaseA.Id.Value, "ack");

        page = await browser.PageAsync(path);
        Assert.DoesNotContain("value=\"ack\"", page);
        Assert.Contains("value=\"ban\"", page);
        Assert.Contains($"{E(_world.Mod)} acknowledged the case</td>", page);
        Assert.DoesNotContain("trigger=dashboard", page.Split("<h2>Audit trail</h2>")[1].Split("title=").Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Banning_from_the_dashboard_bans_as_the_bot_with_the_moderators_reason_and_tells_the_case_room()
    {
        using var browser = await _world.SignedInAsync(_world.Mod);

        var acted = await browser.ActAsync(_world.CaseA.Id.Value, "ban", note: "spam bot");

        Assert.Equal(HttpStatusCode.Redirect, acted.StatusCode);
        var ban = Assert.Single(_world.Relay.Homeserver.Requests, r => r.Method == "POST"
            && r.Path.EndsWith($"/rooms/{_world.RoomA}/ban", StringComparison.Ordinal));
        Assert.Equal(_world.A.Spammer, ban.BodyJson()?["user_id"]?.GetValue<string>());
        Assert.Equal("spam bot", ban.BodyJson()?["reason"]?.GetValue<string>());
        Assert.Contains(await _world.AuditAsync(_world.CaseA.Id), a => a.Action == "action.ban" && a.Actor == _world.Mod);
        Assert.Contains(_world.A.Replies(_world.CaseA), r => r.Contains("banned from", StringComparison.Ordinal));
        Assert.Contains($"{E(_world.Mod)} had the user banned from the room",
            await browser.PageAsync("/_relay/cases/" + _world.CaseA.Id.Value));
    }

    [Fact]
    public async Task A_demoted_moderator_cannot_kick_from_the_dashboard()
    {
        using var browser = await _world.SignedInAsync(_world.Mod);
        var hs = _world.Relay.Homeserver;
        hs.SendEvent(_world.RoomA, _world.A.Owner, "m.room.power_levels",
            CaseRoomWorld.Levels(new JsonObject { [_world.A.Owner] = 100, [_world.Mod] = 0, [hs.SenderUserId] = 100 }), "");

        var acted = await browser.ActAsync(_world.CaseA.Id.Value, "kick");

        Assert.Equal(HttpStatusCode.Forbidden, acted.StatusCode);
        Assert.DoesNotContain(hs.Requests, r => r.Path.EndsWith("/kick", StringComparison.Ordinal));
        Assert.Equal(CaseState.Open, (await _world.CaseAsync(_world.CaseA.Id))!.State);
    }
}
