using System.Net;
using System.Text.Json.Nodes;
using Relay.Core.Cases;
using Relay.Tests.Harness;

namespace Relay.Tests.Cases;

/// <summary>
/// Moderator actions arrive the way they do in production: the homeserver pushes the case room's
/// events to Relay in appservice transactions.
/// </summary>
public sealed class CaseRoomTransactionTests
{
    private static JsonObject Reaction(string eventId, string key) => new()
    {
        ["m.relates_to"] = new JsonObject { ["rel_type"] = "m.annotation", ["event_id"] = eventId, ["key"] = key },
    };

    private static JsonObject Text(string body) => new() { ["msgtype"] = "m.text", ["body"] = body };

    [Fact]
    public async Task Reaction_and_command_pushed_by_the_homeserver_acknowledge_then_resolve_the_case()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();
        var caseRoom = c.CaseRoom!.Value.Value;
        world.JoinCaseRoom(c, world.Mod);

        relay.Homeserver.SendEvent(caseRoom, world.Mod, "m.reaction", Reaction(c.SummaryEvent!.Value.Value, "\u2705"));
        Assert.Equal(HttpStatusCode.OK, (await relay.PushAsync([relay.LastEvent(caseRoom)])).StatusCode);
        Assert.Equal(CaseState.Acknowledged, (await world.CaseAsync(c.Id)).State);

        relay.Homeserver.SendEvent(caseRoom, world.Mod, "m.room.message", Text("!resolve handled"));
        Assert.Equal(HttpStatusCode.OK, (await relay.PushAsync([relay.LastEvent(caseRoom)])).StatusCode);
        Assert.Equal(CaseState.Resolved, (await world.CaseAsync(c.Id)).State);

        var audit = await world.AuditActionsAsync(c.Id);
        Assert.Contains("action.ack", audit);
        Assert.Contains("action.resolve", audit);
        Assert.Empty(relay.Homeserver.Violations);
    }

    [Fact]
    public async Task Pushed_reaction_from_a_non_moderator_changes_nothing()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();
        var caseRoom = c.CaseRoom!.Value.Value;
        relay.Homeserver.Join(caseRoom, world.Member);

        relay.Homeserver.SendEvent(caseRoom, world.Member, "m.reaction", Reaction(c.SummaryEvent!.Value.Value, "\u2705"));
        Assert.Equal(HttpStatusCode.OK, (await relay.PushAsync([relay.LastEvent(caseRoom)])).StatusCode);

        Assert.Equal(CaseState.Open, (await world.CaseAsync(c.Id)).State);
        Assert.Contains("action.refused", await world.AuditActionsAsync(c.Id));
    }

    [Fact]
    public async Task Pushed_power_levels_change_invites_a_new_moderator_into_the_open_case_room()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();
        var caseRoom = c.CaseRoom!.Value.Value;
        Assert.DoesNotContain(world.Member, relay.Homeserver.Members(caseRoom, "invite"));

        var levels = relay.Homeserver.GetState(world.Room, "m.room.power_levels")!.DeepClone().AsObject();
        levels["users"]![world.Member] = 50;
        relay.Homeserver.SendEvent(world.Room, world.Owner, "m.room.power_levels", levels, stateKey: "");
        Assert.Equal(HttpStatusCode.OK, (await relay.PushAsync([relay.LastEvent(world.Room)])).StatusCode);

        Assert.Contains(world.Member, relay.Homeserver.Members(caseRoom, "invite"));
        Assert.Empty(relay.Homeserver.Violations);
    }
}
