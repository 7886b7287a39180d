using System.Text.Json.Nodes;
using Relay.Core.Cases;
using Relay.Core.Cases.Actions;
using Microsoft.Extensions.DependencyInjection;
using Relay.Tests.Harness;

namespace Relay.Tests.Cases;

public sealed class CaseActionTests
{
    [Fact]
    public async Task A_moderator_acknowledges_with_a_reaction_and_it_is_audited_and_confirmed()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();
        world.JoinCaseRoom(c, world.Mod);

        var outcome = await world.ReactAsync(c, world.Mod, "\u2705");

        Assert.Equal(CaseEventOutcome.Done, outcome);
        Assert.Equal(CaseState.Acknowledged, (await world.CaseAsync(c.Id)).State);
        var audit = await relay.Cases.GetAuditAsync(c.Id);
        Assert.Contains(audit, a => a.Action == "action.ack" && a.Actor == world.Mod);
        Assert.Contains(audit, a => a.Action == "case.acknowledged");
        var reply = Assert.Single(world.Replies(c));
        Assert.Contains("acknowledged", reply);
        Assert.Empty(world.Homeserver.Violations);
    }

    [Fact]
    public async Task Redact_by_reaction_redacts_the_reported_event_as_the_bot()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();

        Assert.Equal(CaseEventOutcome.Done, await world.ReactAsync(c, world.Mod, "\U0001F5D1"));

        var target = (Relay.Core.Reports.ReportTarget.Event)c.Target;
        var redaction = Assert.Single(world.BotEvents(world.Room, "m.room.redaction"));
        Assert.Equal(target.EventId.Value, (string?)redaction["redacts"]);
        Assert.Contains("action.redact", await world.AuditActionsAsync(c.Id));
        Assert.Empty(world.Homeserver.Violations);
    }

    [Fact]
    public async Task A_command_delivered_again_after_a_crash_is_carried_out_audited_and_confirmed_once()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();
        world.JoinCaseRoom(c, world.Mod);
        Assert.Equal(CaseEventOutcome.Done, await world.CommandAsync(c, world.Mod, "!redact"));
        var command = world.Homeserver.Timeline(c.CaseRoom!.Value.Value)[^2];

        // The homeserver never got the transaction's answer (Relay was killed), so it delivers the command again.
        var again = await world.DeliverAsync(c.CaseRoom!.Value.Value, (string)command["event_id"]!);

        Assert.Equal(CaseEventOutcome.Done, again);
        Assert.Single(world.BotEvents(world.Room, "m.room.redaction"));
        Assert.Single(await world.AuditActionsAsync(c.Id), a => a == "action.redact");
        Assert.Single(world.Replies(c));
        Assert.Empty(world.Homeserver.Violations);
    }

    [Theory]
    [InlineData("!kick flooding", "leave")]
    [InlineData("\U0001F462", "leave")]
    [InlineData("!ban repeated spam", "ban")]
    [InlineData("\U0001F528", "ban")]
    public async Task Kick_and_ban_remove_the_reported_user_from_the_reported_room(string how, string membership)
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();

        var outcome = how.StartsWith('!') ? await world.CommandAsync(c, world.Mod, how) : await world.ReactAsync(c, world.Mod, how);

        Assert.Equal(CaseEventOutcome.Done, outcome);
        Assert.Contains(world.Spammer, world.Homeserver.Members(world.Room, membership));
        var change = world.Homeserver.GetState(world.Room, "m.room.member", world.Spammer)!;
        Assert.DoesNotContain("spam links", change.ToJsonString());
        Assert.Equal(CaseState.Acknowledged, (await world.CaseAsync(c.Id)).State);
        Assert.Empty(world.Homeserver.Violations);
    }

    [Fact]
    public async Task Policy_ban_writes_a_user_ban_rule_in_the_policy_room()
    {
        await using var relay = await RelayHarness.StartAsync(hs =>
        {
            var policy = hs.CreateRoom(hs.SenderUserId);
            return new Dictionary<string, string?> { ["Relay:Moderation:PolicyRoom"] = policy };
        });
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();
        var policyRoom = relay.App.Services.GetRequiredService<Relay.Core.Cases.Rooms.CaseRoomSettings>().PolicyRoom!.Value.Value;

        Assert.Equal(CaseEventOutcome.Done, await world.CommandAsync(c, world.Mod, "!policy-ban spam bot"));

        var rule = world.Homeserver.GetState(policyRoom, "m.policy.rule.user", "rule:" + world.Spammer)!;
        Assert.Equal(world.Spammer, (string?)rule["entity"]);
        Assert.Equal("m.ban", (string?)rule["recommendation"]);
        Assert.Equal("spam bot", (string?)rule["reason"]);
        Assert.Empty(world.Homeserver.Violations);
    }

    [Fact]
    public async Task Policy_ban_without_a_policy_room_says_which_setting_is_missing()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();

        Assert.Equal(CaseEventOutcome.Rejected, await world.CommandAsync(c, world.Mod, "!policy-ban"));

        Assert.Contains("Relay__Moderation__PolicyRoom", Assert.Single(world.Replies(c)));
        Assert.Equal(CaseState.Open, (await world.CaseAsync(c.Id)).State);
    }

    [Fact]
    public async Task Escalate_moves_the_case_up_one_tier_and_is_recorded_and_confirmed()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();

        Assert.Equal(CaseEventOutcome.Done, await world.ReactAsync(c, world.Mod, "\u2B06"));

        var escalated = await world.CaseAsync(c.Id);
        Assert.Equal((CaseState.Escalated, 2), (escalated.State, escalated.Tier));
        var audit = Assert.Single(await relay.Cases.GetAuditAsync(c.Id), a => a.Action == "case.escalated");
        Assert.Equal(world.Mod, audit.Actor);
        Assert.Contains("escalated the case to tier 2", Assert.Single(world.Replies(c)));
    }

    [Theory]
    [InlineData("!dismiss", CaseState.Dismissed)]
    [InlineData("\u274E", CaseState.Dismissed)]
    [InlineData("!resolve warned them", CaseState.Resolved)]
    public async Task Closing_a_case_tells_each_reporter_the_outcome_by_dm_without_naming_moderators(string how, CaseState closed)
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();
        await world.ReportAsync(((Relay.Core.Reports.ReportTarget.Event)c.Target).EventId.Value, reporter: "member2");
        await relay.RunQueueAsync();

        var outcome = how.StartsWith('!') ? await world.CommandAsync(c, world.Mod, how) : await world.ReactAsync(c, world.Mod, how);
        await relay.RunQueueAsync();

        Assert.Equal(CaseEventOutcome.Done, outcome);
        Assert.Equal(closed, (await world.CaseAsync(c.Id)).State);
        foreach (var reporter in new[] { world.Member, world.U("member2") })
        {
            var dm = Assert.Single(world.Homeserver.Requests, r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal)
                && r.BodyJson()?["invite"]?[0]?.GetValue<string>() == reporter);
            Assert.True(dm.BodyJson()!["is_direct"]!.GetValue<bool>());
        }
        var outcomes = world.Homeserver.Requests
            .Where(r => r.Method == "PUT" && r.Path.Contains("/send/m.room.message/", StringComparison.Ordinal) && r.BodyText.Contains("Your report", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(2, outcomes.Count);
        Assert.All(outcomes, r => Assert.DoesNotContain(world.Mod, r.BodyText));
        Assert.All(outcomes, r => Assert.Contains(c.Id.Short, r.BodyText));
        Assert.Empty(world.Homeserver.Violations);
    }

    [Theory]
    [InlineData("!resolve warned them", "resolved the case. It is closed.")]
    [InlineData("!dismiss", "dismissed the case: nothing to act on. It is closed.")]
    [InlineData("!ack", "acknowledged the case.")]
    [InlineData("!ban", "banned from")]
    public async Task The_confirmation_says_the_new_state_once(string command, string expectedEnd)
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();

        Assert.Equal(CaseEventOutcome.Done, await world.CommandAsync(c, world.Mod, command));

        var reply = Assert.Single(world.Replies(c));
        Assert.Contains(expectedEnd, reply, StringComparison.Ordinal);
        var stateWords = new[] { "closed", "resolved", "dismissed", "acknowledged" }
            .Sum(word => (reply.Length - reply.Replace(word, "", StringComparison.Ordinal).Length) / word.Length);
        Assert.True(stateWords <= 2, reply);
        Assert.DoesNotContain("The case is now resolved", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("The case is now dismissed", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("acknowledged the case. The case is now acknowledged", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_case_refuses_further_actions_with_a_clear_message()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();
        await world.CommandAsync(c, world.Mod, "!dismiss");

        Assert.Equal(CaseEventOutcome.Rejected, await world.CommandAsync(c, world.Mod, "!ack"));
        Assert.Equal(CaseEventOutcome.Rejected, await world.ReactAsync(c, world.Mod, "\U0001F528"));

        Assert.Contains(world.Spammer, world.Homeserver.Members(world.Room));
        Assert.Contains("already dismissed", world.Replies(c)[^1]);
        Assert.Equal(CaseState.Dismissed, (await world.CaseAsync(c.Id)).State);
        Assert.Contains("action.rejected", await world.AuditActionsAsync(c.Id));
    }

    [Theory]
    [InlineData("!ban")]
    [InlineData("\U0001F528")]
    [InlineData("!dismiss")]
    public async Task A_non_moderator_is_ignored_and_audited_as_refused_without_a_message(string how)
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();
        world.JoinCaseRoom(c, world.Member);

        var outcome = how.StartsWith('!') ? await world.CommandAsync(c, world.Member, how) : await world.ReactAsync(c, world.Member, how);

        Assert.Equal(CaseEventOutcome.Refused, outcome);
        Assert.Empty(world.Replies(c));
        Assert.Contains(world.Spammer, world.Homeserver.Members(world.Room));
        Assert.Equal(CaseState.Open, (await world.CaseAsync(c.Id)).State);
        Assert.Contains(await relay.Cases.GetAuditAsync(c.Id), a => a.Action == "action.refused" && a.Actor == world.Member);
    }

    [Fact]
    public async Task A_moderator_of_room_a_cannot_act_on_a_case_of_room_b()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var (otherMod, _) = relay.User("othermod");
        var roomB = world.Homeserver.CreateRoom(otherMod, new TestHomeserver.RoomSetup { Members = [world.Mod] });
        world.Homeserver.Join(roomB, world.Bot);
        var c = await world.OpenCaseAsync();

        Assert.Equal(CaseEventOutcome.Refused, await world.CommandAsync(c, otherMod, "!kick"));

        Assert.Contains(world.Spammer, world.Homeserver.Members(world.Room));
        Assert.Empty(world.Replies(c));
        Assert.Empty(world.Homeserver.Violations);
    }

    [Fact]
    public async Task A_moderator_who_lost_the_role_since_the_case_opened_is_refused()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();
        world.Homeserver.SendEvent(world.Room, world.Owner, "m.room.power_levels",
            CaseRoomWorld.Levels(new JsonObject { [world.Owner] = 100, [world.Bot] = 100 }), "");

        Assert.Equal(CaseEventOutcome.Refused, await world.CommandAsync(c, world.Mod, "!ban"));

        Assert.Contains(world.Spammer, world.Homeserver.Members(world.Room));
    }

    [Fact]
    public async Task When_the_bot_lacks_power_the_case_room_is_told_plainly_and_nothing_changes()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay, setup => setup with
        {
            PowerLevels = CaseRoomWorld.Levels(new JsonObject { ["@owner:hs.test"] = 100, ["@mod:hs.test"] = 50 }),
        });
        var c = await world.OpenCaseAsync();

        Assert.Equal(CaseEventOutcome.Failed, await world.CommandAsync(c, world.Mod, "!kick"));

        var reply = Assert.Single(world.Replies(c));
        Assert.Contains("M_FORBIDDEN", reply);
        Assert.Contains(world.Bot, reply);
        Assert.Contains(world.Spammer, world.Homeserver.Members(world.Room));
        Assert.Equal(CaseState.Open, (await world.CaseAsync(c.Id)).State);
        Assert.Contains("action.failed", await world.AuditActionsAsync(c.Id));
    }

    [Fact]
    public async Task Reactions_on_other_events_and_unknown_commands_are_ignored()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();
        var chat = world.Homeserver.SendEvent(c.CaseRoom!.Value.Value, world.Mod, "m.room.message",
            new JsonObject { ["msgtype"] = "m.text", ["body"] = "looking" });

        Assert.Equal(CaseEventOutcome.Ignored, await world.ReactAsync(c, world.Mod, "\U0001F528", to: chat));
        Assert.Equal(CaseEventOutcome.Ignored, await world.CommandAsync(c, world.Mod, "!frobnicate"));
        Assert.Equal(CaseEventOutcome.Ignored, await world.CommandAsync(c, world.Mod, "ban them please"));
        Assert.Equal(CaseEventOutcome.Ignored, await world.DeliverAsync(c.CaseRoom!.Value.Value, c.SummaryEvent!.Value.Value));

        Assert.Contains(world.Spammer, world.Homeserver.Members(world.Room));
    }
}
