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
