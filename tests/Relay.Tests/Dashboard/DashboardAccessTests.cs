using System.Net;
using System.Text.Json.Nodes;
using Relay.Core.Cases;
using Relay.Tests.Cases;

namespace Relay.Tests.Dashboard;

/// <summary>Who sees and does what on the dashboard: a room's moderators its cases only, admins every case, over real HTTP.</summary>
public sealed class DashboardAccessTests : IAsyncLifetime
{
    private DashboardWorld _world = null!;

    public async Task InitializeAsync() => _world = await DashboardWorld.CreateAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task A_moderator_of_room_A_lists_room_A_cases_and_not_room_B_cases()
    {
        using var browser = await _world.SignedInAsync(_world.Mod);

        var list = await browser.PageAsync("/_relay/cases");

        Assert.Contains(_world.CaseA.Id.Value, list);
        Assert.DoesNotContain(_world.CaseB.Id.Value, list);
        Assert.DoesNotContain(_world.RoomB, list);
        // Asking for room B by filter does not widen the scope either.
        var filtered = await browser.PageAsync("/_relay/cases?room=" + Uri.EscapeDataString(_world.RoomB));
        Assert.DoesNotContain(_world.CaseB.Id.Value, filtered);
    }

    [Fact]
    public async Task A_moderator_of_room_A_cannot_open_or_act_on_a_room_B_case()
    {
        using var browser = await _world.SignedInAsync(_world.Mod);
        var csrf = await browser.CsrfAsync("/_relay/cases");
        var auditBefore = (await _world.AuditAsync(_world.CaseB.Id)).Count;

        var page = await browser.GetAsync("/_relay/cases/" + _world.CaseB.Id.Value);
        var act = await browser.PostFormAsync($"/_relay/cases/{_world.CaseB.Id.Value}/act",
            new() { ["action"] = "ack", ["request"] = new string('a', 32) }, csrf);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain("spam links in room B", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, act.StatusCode);
        Assert.Equal(CaseState.Open, (await _world.CaseAsync(_world.CaseB.Id))!.State);
        Assert.Equal(auditBefore, (await _world.AuditAsync(_world.CaseB.Id)).Count);
    }

    [Fact]
    public async Task A_community_admin_sees_both_rooms_cases()
    {
        using var browser = await _world.SignedInAsync(_world.Admin);

        var list = await browser.PageAsync("/_relay/cases");

        Assert.Contains(_world.CaseA.Id.Value, list);
        Assert.Contains(_world.CaseB.Id.Value, list);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/_relay/cases/" + _world.CaseB.Id.Value)).StatusCode);
    }

    [Fact]
    public async Task Acknowledging_on_the_dashboard_audits_and_echoes_as_the_case_room_does()
    {
        using var browser = await _world.SignedInAsync(_world.Mod);

        var acted = await browser.ActAsync(_world.CaseA.Id.Value, "ack");

        Assert.Equal(HttpStatusCode.Redirect, acted.StatusCode);
        Assert.Equal($"/_relay/cases/{_world.CaseA.Id.Value}?done=done", acted.Headers.Location?.OriginalString);
        Assert.Equal(CaseState.Acknowledged, (await _world.CaseAsync(_world.CaseA.Id))!.State);
        var ack = Assert.Single(await _world.AuditAsync(_world.CaseA.Id), a => a.Action == "action.ack");
        Assert.Equal(_world.Mod, ack.Actor);
        Assert.StartsWith("acknowledged trigger=dashboard-", ack.Detail);
        Assert.Contains(await _world.AuditAsync(_world.CaseA.Id), a => a.Action == "case.acknowledged" && a.Actor == _world.Mod);
        Assert.Contains($"{_world.Mod} acknowledged the case.", _world.A.Replies(_world.CaseA));
        var page = await browser.PageAsync($"/_relay/cases/{_world.CaseA.Id.Value}?done=done");
        Assert.Contains("action.ack", page);
        Assert.Contains("role=\"status\"", page);
    }

    [Fact]
    public async Task The_same_action_form_posted_twice_acts_once()
    {
        using var browser = await _world.SignedInAsync(_world.Mod);
        var csrf = await browser.CsrfAsync("/_relay/cases");
        var fields = new Dictionary<string, string> { ["action"] = "escalate", ["request"] = new string('b', 32) };

        await browser.PostFormAsync($"/_relay/cases/{_world.CaseA.Id.Value}/act", new(fields), csrf);
        await browser.PostFormAsync($"/_relay/cases/{_world.CaseA.Id.Value}/act", new(fields), csrf);

        Assert.Equal(2, (await _world.CaseAsync(_world.CaseA.Id))!.Tier);
    }

    [Fact]
    public async Task A_moderator_demoted_after_signing_in_is_refused_and_the_refusal_audited()
    {
        using var browser = await _world.SignedInAsync(_world.Mod);
        var hs = _world.Relay.Homeserver;
        hs.SendEvent(_world.RoomA, _world.A.Owner, "m.room.power_levels",
            CaseRoomWorld.Levels(new JsonObject { [_world.A.Owner] = 100, [_world.Mod] = 0, [hs.SenderUserId] = 100 }), "");

        var acted = await browser.ActAsync(_world.CaseA.Id.Value, "dismiss");

        Assert.Equal(HttpStatusCode.Forbidden, acted.StatusCode);
        Assert.Equal(CaseState.Open, (await _world.CaseAsync(_world.CaseA.Id))!.State);
        Assert.Contains(await _world.AuditAsync(_world.CaseA.Id), a => a.Action == "action.refused" && a.Actor == _world.Mod);
    }

    [Fact]
    public async Task A_case_page_shows_the_audit_trail_tier_and_deadline_but_never_the_reporter()
    {
        using var browser = await _world.SignedInAsync(_world.Mod);

        var page = await browser.PageAsync("/_relay/cases/" + _world.CaseA.Id.Value);

        Assert.Contains("Audit trail", page);
        Assert.Contains("case.opened", page);
        Assert.Contains("1 (room moderators)", page);
        Assert.Contains("Next deadline", page);
        Assert.Contains("spam links in room A", page);
        Assert.DoesNotContain(_world.A.Member, page);
    }

    [Fact]
    public async Task A_child_safety_case_shows_no_reason_and_no_link_to_the_content()
    {
        var abuse = _world.A.Relay.Message(_world.A.Room, _world.A.U("member3"), "bad content");
        var reported = await _world.A.ReportAsync(abuse, "member2", "description of the abuse", "m.child_safety.csam");
        using var browser = await _world.SignedInAsync(_world.Mod);

        var page = await browser.PageAsync("/_relay/cases/" + reported.Id.Value);

        Assert.DoesNotContain("description of the abuse", page);
        Assert.DoesNotContain("matrix.to/#/" + Uri.EscapeDataString(_world.RoomA) + "/", page);
        Assert.Contains("withheld (child safety)", page);
        Assert.Contains("content withheld: child safety", page);
    }

    [Fact]
    public async Task A_reporter_who_opted_in_is_named_as_a_follower()
    {
        var writes = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<ICaseWriteStore>(_world.Relay.App.Services);
        await writes.AddFollowerAsync(_world.CaseA.Id, Relay.Core.Identifiers.UserId.Parse(_world.A.U("member3")), DateTimeOffset.UtcNow);
        using var browser = await _world.SignedInAsync(_world.Mod);

        var page = await browser.PageAsync("/_relay/cases/" + _world.CaseA.Id.Value);

        Assert.Contains(_world.A.U("member3"), page);
        Assert.DoesNotContain(_world.A.Member, page);
    }

    [Fact]
    public async Task The_case_list_filters_by_state_and_overdue()
    {
        using var browser = await _world.SignedInAsync(_world.Admin);

        var resolved = await browser.PageAsync("/_relay/cases?state=Resolved");
        var open = await browser.PageAsync("/_relay/cases?state=Open");
        var overdue = await browser.PageAsync("/_relay/cases?overdue=1");

        Assert.DoesNotContain(_world.CaseA.Id.Value, resolved);
        Assert.Contains(_world.CaseA.Id.Value, open);
        Assert.Contains(_world.CaseB.Id.Value, open);
        Assert.Contains("No cases match.", overdue);
    }
}
