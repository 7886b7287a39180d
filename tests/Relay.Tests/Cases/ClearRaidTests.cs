using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Cases;
using Relay.Core.Cases.Actions;
using Relay.Core.Cases.Rooms;
using Relay.Tests.Harness;

namespace Relay.Tests.Cases;

/// <summary>🧹 / !clear: one action bans the offender and redacts every reported event of their case.</summary>
public sealed class ClearRaidTests
{
    private static bool IsRedacted(CaseRoomWorld world, string eventId) =>
        world.Homeserver.Timeline(world.Room).Any(e => (string?)e["type"] == "m.room.redaction" && (string?)e["redacts"] == eventId);

    private static async Task<(Case Case, string[] Events)> RaidCaseAsync(CaseRoomWorld world)
    {
        var events = new[] { world.Spam("one"), world.Spam("two"), world.Spam("three") };
        foreach (var e in events)
        {
            await world.ReportAsync(e, reporter: "member");
        }
        await world.Relay.RunQueueAsync();
        return (Assert.Single(await world.Relay.Cases.ListCasesAsync(new CaseQuery())), events);
    }

    [Theory]
    [InlineData("!clear raid")]
    [InlineData("\U0001F9F9")]
    public async Task Clear_bans_the_offender_redacts_every_reported_event_and_confirms(string how)
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var (c, events) = await RaidCaseAsync(world);
        var unreported = world.Spam("not reported");

        var outcome = how.StartsWith('!') ? await world.CommandAsync(c, world.Mod, how) : await world.ReactAsync(c, world.Mod, how);

        Assert.Equal(CaseEventOutcome.Done, outcome);
        Assert.Contains(world.Spammer, world.Homeserver.Members(world.Room, "ban"));
        Assert.All(events, e => Assert.True(IsRedacted(world, e), e));
        Assert.False(IsRedacted(world, unreported));
        var reply = Assert.Single(world.Replies(c));
        Assert.Contains($"cleared the raid of {world.Spammer}: banned from {world.Room}, 3 of 3 reported event(s) redacted.", reply);
        Assert.Contains("The case is now acknowledged.", reply);
        var line = Assert.Single(await relay.Cases.GetAuditAsync(c.Id), a => a.Action == "action.clear");
        Assert.Equal(world.Mod, line.Actor);
        Assert.StartsWith($"banned {world.Spammer} from {world.Room} redacted=3/3 policy=none trigger=", line.Detail);
        Assert.Empty(world.Homeserver.Violations);
    }

    [Fact]
    public async Task Clear_recent_also_redacts_the_offenders_unreported_messages_but_not_others_or_their_state()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var (c, events) = await RaidCaseAsync(world);
        var unreported = new[] { world.Spam("not reported 1"), world.Spam("not reported 2") };
        var members = world.Relay.Message(world.Room, world.Member, "an innocent message");

        var outcome = await world.CommandAsync(c, world.Mod, "!clear recent raid in progress");

        Assert.Equal(CaseEventOutcome.Done, outcome);
        Assert.All(events.Concat(unreported), e => Assert.True(IsRedacted(world, e), e));
        Assert.False(IsRedacted(world, members));
        Assert.Contains(world.Spammer, world.Homeserver.Members(world.Room, "ban"));
        var redaction = world.Homeserver.Timeline(world.Room).First(e => (string?)e["type"] == "m.room.redaction");
        Assert.Equal("raid in progress", (string?)redaction["content"]!["reason"]);
        var reply = Assert.Single(world.Replies(c));
        Assert.Contains("3 of 3 reported event(s) redacted, and 2 of 2 other event(s) of theirs from the last 24 h.", reply);
        var line = Assert.Single(await relay.Cases.GetAuditAsync(c.Id), a => a.Action == "action.clear");
        Assert.StartsWith($"banned {world.Spammer} from {world.Room} redacted=3/3 recent=2/2 policy=none trigger=", line.Detail);
        Assert.Empty(world.Homeserver.Violations);
    }

    [Fact]
    public async Task The_broom_reaction_redacts_only_reported_events()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var (c, _) = await RaidCaseAsync(world);
        var unreported = world.Spam("not reported");

        Assert.Equal(CaseEventOutcome.Done, await world.ReactAsync(c, world.Mod, "\U0001F9F9"));

        Assert.False(IsRedacted(world, unreported));
        Assert.DoesNotContain(world.Homeserver.Requests, r => r.Path.EndsWith("/messages", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redaction_that_fails_is_named_in_the_confirmation_and_the_others_still_happen()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var (c, events) = await RaidCaseAsync(world);
        var refused = events[1];
        world.Homeserver.InjectFault(r => r.Path.Contains("/redact/", StringComparison.Ordinal)
            && (r.Path.Contains(refused, StringComparison.Ordinal) || r.RawPath.Contains(Uri.EscapeDataString(refused), StringComparison.Ordinal)),
            TestHomeserver.Fault.Status(403), times: 100);

        Assert.Equal(CaseEventOutcome.Done, await world.CommandAsync(c, world.Mod, "!clear"));

        Assert.True(IsRedacted(world, events[0]));
        Assert.True(IsRedacted(world, events[2]));
        Assert.False(IsRedacted(world, refused));
        var reply = Assert.Single(world.Replies(c));
        Assert.Contains($"2 of 3 reported event(s) redacted; 1 failed: {refused} (", reply);
        var line = Assert.Single(await relay.Cases.GetAuditAsync(c.Id), a => a.Action == "action.clear");
        Assert.Contains("redacted=2/3 failed=1 policy=none", line.Detail);
    }

    [Fact]
    public async Task Clear_also_publishes_the_ban_to_the_policy_list_when_one_is_configured()
    {
        await using var relay = await RelayHarness.StartAsync(hs => new Dictionary<string, string?>
        {
            ["Relay:Moderation:PolicyRoom"] = hs.CreateRoom(hs.SenderUserId),
        });
        var world = CaseRoomWorld.Create(relay);
        var (c, _) = await RaidCaseAsync(world);
        var policyRoom = relay.App.Services.GetRequiredService<CaseRoomSettings>().PolicyRoom!.Value.Value;

        Assert.Equal(CaseEventOutcome.Done, await world.CommandAsync(c, world.Mod, "!clear"));

        var rule = world.Homeserver.GetState(policyRoom, "m.policy.rule.user", "rule:" + world.Spammer)!;
        Assert.Equal("m.ban", (string?)rule["recommendation"]);
        Assert.Contains($"a ban added to the policy list {policyRoom}", Assert.Single(world.Replies(c)));
    }

    [Fact]
    public async Task A_non_moderator_cannot_clear_and_nothing_happens()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var (c, events) = await RaidCaseAsync(world);

        Assert.Equal(CaseEventOutcome.Refused, await world.CommandAsync(c, world.Member, "!clear"));

        Assert.DoesNotContain(world.Spammer, world.Homeserver.Members(world.Room, "ban"));
        Assert.All(events, e => Assert.False(IsRedacted(world, e)));
        Assert.Contains(await relay.Cases.GetAuditAsync(c.Id), a => a.Action == "action.refused" && a.Detail == "clear: not a moderator of " + world.Room);
    }

    [Fact]
    public async Task Clear_on_a_room_report_explains_that_there_is_no_offender()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var token = world.Homeserver.RegisterUser(world.Member);
        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.RoomReportPath(world.Room), token, new { reason = "bad room" }));
        await relay.RunQueueAsync();
        var c = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));

        Assert.Equal(CaseEventOutcome.Rejected, await world.CommandAsync(c, world.Mod, "!clear"));

        Assert.Equal("This case names no user, so there is no raid to clear.", Assert.Single(world.Replies(c)));
    }
}
