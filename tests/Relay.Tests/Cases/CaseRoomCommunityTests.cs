using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Cases;
using Relay.Core.Cases.Actions;
using Relay.Core.Cases.Rooms;
using Relay.Core.Identifiers;
using Relay.Tests.Harness;

namespace Relay.Tests.Cases;

public sealed class CaseRoomCommunityTests
{
    private static Dictionary<string, string?> CommunityModerators(params string[] users)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < users.Length; i++)
        {
            settings[$"Relay:Community:Moderators:{i}"] = users[i];
        }
        return settings;
    }

    [Fact]
    public async Task When_the_bot_cannot_read_the_room_the_community_moderators_get_the_case_and_the_audit_says_why()
    {
        await using var relay = await RelayHarness.StartAsync(CommunityModerators("@admin:hs.test", "@spammer:hs.test"));
        var world = CaseRoomWorld.Create(relay, botJoined: false);
        var filed = await world.ReportAsync(world.Spam());

        await relay.RunQueueAsync();

        var c = await world.CaseAsync(filed.Id);
        Assert.Equal(["@admin:hs.test"], world.Homeserver.Members(c.CaseRoom!.Value.Value, "invite"));
        var fallback = Assert.Single(await relay.Cases.GetAuditAsync(c.Id), a => a.Action == "moderators.fallback");
        Assert.Contains("M_FORBIDDEN", fallback.Detail);
        Assert.Empty(world.Homeserver.Violations);
    }

    [Fact]
    public async Task A_room_the_community_does_not_protect_gets_the_community_moderators_even_when_the_bot_can_read_it()
    {
        await using var relay = await RelayHarness.StartAsync(CommunityModerators("@admin:hs.test"));
        var world = CaseRoomWorld.Create(relay);
        await relay.App.Services.GetRequiredService<Relay.Core.Appservice.IProtectedRoomStore>().UnprotectAsync(RoomId.Parse(world.Room));

        var c = await world.OpenCaseAsync();

        Assert.Equal(["@admin:hs.test"], world.Homeserver.Members(c.CaseRoom!.Value.Value, "invite"));
        var fallback = Assert.Single(await relay.Cases.GetAuditAsync(c.Id), a => a.Action == "moderators.fallback");
        Assert.Contains("not a room the community protects", fallback.Detail);
        Assert.Equal(CaseEventOutcome.Refused, await world.CommandAsync(c, world.Mod, "!ack"));
    }

    [Fact]
    public async Task A_user_report_goes_to_the_community_moderators_who_may_act_on_it()
    {
        await using var relay = await RelayHarness.StartAsync(CommunityModerators("@admin:hs.test"));
        var world = CaseRoomWorld.Create(relay);
        var token = world.Homeserver.RegisterUser(world.Member);
        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.UserReportPath(world.Spammer), token, new { reason = "dm spam" }));

        await relay.RunQueueAsync();

        var c = (await relay.Cases.ListCasesAsync(new CaseQuery()))[0];
        Assert.Equal(["@admin:hs.test"], world.Homeserver.Members(c.CaseRoom!.Value.Value, "invite"));
        Assert.Equal(CaseEventOutcome.Done, await world.CommandAsync(c, "@admin:hs.test", "!ack"));
        Assert.Equal(CaseEventOutcome.Refused, await world.CommandAsync(c, world.Mod, "!dismiss"));
        Assert.Equal(CaseEventOutcome.Rejected, await world.CommandAsync(c, "@admin:hs.test", "!kick"));
        Assert.Contains("no one to kick", world.Replies(c)[^1]);
    }

    [Fact]
    public async Task Child_safety_summaries_show_ids_counts_and_the_category_only()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var spam = world.Spam("something terrible");
        var filed = await world.ReportAsync(spam, reason: "graphic description of the image", category: "m.child_safety.csam");

        await relay.RunQueueAsync();

        var c = await world.CaseAsync(filed.Id);
        // The summary comes first; tier notices (child safety jumps to tiers 4 and 5) follow it.
        var summary = world.BotEvents(c.CaseRoom!.Value.Value)[0]["content"]!;
        var all = summary.ToJsonString();
        Assert.Contains("Child Safety: Child Sexual Abuse Material (CSAM)", all);
        Assert.Contains(spam, (string?)summary["body"]);
        Assert.Contains(world.Spammer, (string?)summary["body"]);
        Assert.Contains("Distinct reporters so far: 1", (string?)summary["body"]);
        Assert.DoesNotContain("graphic description", all);
        Assert.DoesNotContain("something terrible", all);
        Assert.DoesNotContain("matrix.to", all);
        Assert.DoesNotContain("mxc://", all);
        Assert.DoesNotContain(world.Member, all);
        Assert.Empty(world.Homeserver.Violations);
    }

    [Fact]
    public async Task With_a_moderators_room_case_rooms_let_its_members_join_and_new_and_closed_cases_are_announced_there()
    {
        await using var relay = await RelayHarness.StartAsync(hs => new Dictionary<string, string?>
        {
            ["Relay:Community:ModeratorsRoom"] = hs.CreateRoom(hs.SenderUserId),
        });
        var world = CaseRoomWorld.Create(relay);
        var moderatorsRoom = relay.App.Services.GetRequiredService<CaseRoomSettings>().ModeratorsRoom!.Value.Value;
        var c = await world.OpenCaseAsync();

        var room = c.CaseRoom!.Value.Value;
        var joinRules = world.Homeserver.GetState(room, "m.room.join_rules")!;
        Assert.Equal("restricted", (string?)joinRules["join_rule"]);
        Assert.Equal(moderatorsRoom, (string?)joinRules["allow"]![0]!["room_id"]);
        Assert.Equal("m.room_membership", (string?)joinRules["allow"]![0]!["type"]);
        Assert.Equal("10", (string?)world.Homeserver.GetState(room, "m.room.create")!["room_version"]);
        Assert.Empty(world.Homeserver.Members(room, "invite"));

        await world.CommandAsync(c, world.Mod, "!resolve");

        var lines = world.BotEvents(moderatorsRoom).Select(e => (string)e["content"]!["body"]!).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, line => Assert.Contains($"https://matrix.to/#/{Uri.EscapeDataString(room)}", line));
        Assert.Contains("New case", lines[0]);
        Assert.Contains("resolved", lines[1]);
        Assert.Empty(world.Homeserver.Violations);
    }

    [Fact]
    public async Task Power_level_changes_in_the_reported_room_invite_new_moderators_and_remove_former_ones()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();
        var room = c.CaseRoom!.Value.Value;
        world.JoinCaseRoom(c, world.Mod);
        var newLevels = CaseRoomWorld.Levels(new JsonObject { [world.Owner] = 100, [world.Bot] = 100, [world.U("member3")] = 50, [world.Mod] = 0 });
        var change = world.Homeserver.SendEvent(world.Room, world.Owner, "m.room.power_levels", newLevels, "");

        Assert.Equal(CaseEventOutcome.MembersSynced, await world.DeliverAsync(world.Room, change));

        Assert.Contains(world.U("member3"), world.Homeserver.Members(room, "invite"));
        Assert.DoesNotContain(world.Mod, world.Homeserver.Members(room, "join"));
        Assert.Contains(world.Owner, world.Homeserver.Members(room, "invite"));
        var audit = await world.AuditActionsAsync(c.Id);
        Assert.Contains("moderator.removed", audit);
        Assert.Equal(3, audit.Count(a => a == "moderator.invited"));
        Assert.Empty(world.Homeserver.Violations);
    }

    [Fact]
    public async Task A_moderator_removed_from_the_power_levels_before_accepting_loses_the_pending_invite()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();
        var room = c.CaseRoom!.Value.Value;
        Assert.Contains(world.Mod, world.Homeserver.Members(room, "invite"));
        var newLevels = CaseRoomWorld.Levels(new JsonObject { [world.Owner] = 100, [world.Bot] = 100 });
        var change = world.Homeserver.SendEvent(world.Room, world.Owner, "m.room.power_levels", newLevels, "");

        Assert.Equal(CaseEventOutcome.MembersSynced, await world.DeliverAsync(world.Room, change));

        Assert.DoesNotContain(world.Mod, world.Homeserver.Members(room, "invite"));
        Assert.DoesNotContain(world.Mod, world.Homeserver.Members(room, "join"));
        Assert.Contains("moderator.removed", await world.AuditActionsAsync(c.Id));
        Assert.Empty(world.Homeserver.Violations);
    }

    [Fact]
    public async Task A_reporter_who_opts_in_is_invited_at_power_level_minus_one_and_others_cannot_opt_in()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();
        var followUp = relay.App.Services.GetRequiredService<CaseFollowUp>();

        Assert.Equal(FollowUpOutcome.OptedIn, await followUp.OptInAsync(c.Id, UserId.Parse(world.Member)));
        Assert.Equal(FollowUpOutcome.NotAReporter, await followUp.OptInAsync(c.Id, UserId.Parse(world.U("member2"))));

        var room = c.CaseRoom!.Value.Value;
        Assert.Contains(world.Member, world.Homeserver.Members(room, "invite"));
        Assert.Equal(-1, (int)world.Homeserver.GetState(room, "m.room.power_levels")!["users"]![world.Member]!);
        Assert.DoesNotContain(world.U("member2"), world.Homeserver.Members(room, "invite"));
        var optedIn = Assert.Single(await relay.Cases.GetAuditAsync(c.Id), a => a.Action == "reporter.opted_in");
        Assert.DoesNotContain(world.Member, optedIn.Actor);
        Assert.Empty(world.Homeserver.Violations);
    }
}
