using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Relay.Core.Cases;
using Relay.Core.Cases.Rooms;
using Relay.Tests.Harness;

namespace Relay.Tests.Cases;

/// <summary>
/// Opening a case room reuses the reported room's moderators read for an earlier case for a short while; a power-level
/// change that reaches Relay, or the time running out, makes the next case read them again.
/// </summary>
public sealed class ModeratorMemoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static async Task<(RelayHarness Relay, CaseRoomWorld World, FakeTimeProvider Time)> StartAsync()
    {
        var time = new FakeTimeProvider(Start);
        var relay = await RelayHarness.StartAsync(services: services => services.AddSingleton<TimeProvider>(time));
        return (relay, CaseRoomWorld.Create(relay), time);
    }

    private static int MemberReads(CaseRoomWorld world) =>
        world.Homeserver.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith($"/rooms/{world.Room}/joined_members", StringComparison.Ordinal));

    /// <summary>One second on (the world finds a filed case as the newest, and ids order by the clock), a new case with its room.</summary>
    private static async Task<Case> OpenAnotherCaseAsync(CaseRoomWorld world, FakeTimeProvider time, string sender = "member3")
    {
        time.Advance(TimeSpan.FromSeconds(1));
        // Another sender: a second message of the same one would join the first case.
        var filed = await world.ReportAsync(world.Relay.Message(world.Room, world.U(sender), "another spam"), "member2");
        await world.Relay.RunQueueAsync();
        return await world.CaseAsync(filed.Id);
    }

    [Fact]
    public async Task A_second_case_about_the_same_room_soon_after_invites_the_same_moderators_without_reading_them_again()
    {
        var (relay, world, time) = await StartAsync();
        await using var _relay = relay;

        var first = await world.OpenCaseAsync();
        var second = await OpenAnotherCaseAsync(world, time);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(1, MemberReads(world));
        Assert.Equal([world.Mod, world.Owner], world.Homeserver.Members(second.CaseRoom!.Value.Value, "invite").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_reported_user_is_not_invited_even_when_the_remembered_moderators_include_them()
    {
        var (relay, world, time) = await StartAsync();
        await using var _relay = relay;
        await world.OpenCaseAsync();
        time.Advance(TimeSpan.FromSeconds(1));

        var filed = await world.ReportAsync(relay.Message(world.Room, world.Mod, "a moderator's own message"), "member2");
        await relay.RunQueueAsync();

        var c = await world.CaseAsync(filed.Id);
        Assert.Equal(1, MemberReads(world));
        Assert.Equal([world.Owner], world.Homeserver.Members(c.CaseRoom!.Value.Value, "invite"));
    }

    [Fact]
    public async Task After_30_seconds_the_moderators_are_read_again()
    {
        var (relay, world, time) = await StartAsync();
        await using var _relay = relay;
        await world.OpenCaseAsync();

        time.Advance(ModeratorDirectory.RememberFor - TimeSpan.FromSeconds(1));
        await OpenAnotherCaseAsync(world, time);

        Assert.Equal(2, MemberReads(world));
    }

    [Fact]
    public async Task A_power_level_change_that_reached_relay_is_used_by_the_next_case_room_at_once()
    {
        var (relay, world, time) = await StartAsync();
        await using var _relay = relay;
        // Dismissed, so no open case room syncs its members (a sync reads the moderators afresh anyway).
        var first = await world.OpenCaseAsync();
        world.JoinCaseRoom(first, world.Mod);
        await world.CommandAsync(first, world.Mod, "!dismiss");
        var levels = CaseRoomWorld.Levels(new JsonObject { [world.Owner] = 100, [world.Bot] = 100, [world.U("member3")] = 50 });
        await world.DeliverAsync(world.Room, world.Homeserver.SendEvent(world.Room, world.Owner, "m.room.power_levels", levels, ""));

        // The first case is closed, so the spammer's next message opens a new one.
        var second = await OpenAnotherCaseAsync(world, time, sender: "spammer");

        Assert.Equal([world.U("member3"), world.Owner],
            world.Homeserver.Members(second.CaseRoom!.Value.Value, "invite").Order(StringComparer.Ordinal));
    }
}
