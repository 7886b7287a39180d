using Relay.Synapse.Tests.Harness;

namespace Relay.Synapse.Tests;

[Collection(SynapseCollection.Name)]
public sealed class ProtectionTests(SynapseWorld world)
{
    [Fact]
    public async Task A_moderators_invite_protects_the_room_and_its_reports_reach_the_moderator_in_a_case_room()
    {
        // On Synapse before 1.135 the state read lacked event_id and the bot sat in the room unprotected.
        var c = await world.ProtectedRoomAsync();

        var (status, _) = await world.ToRelayAsync(c.Alice, EventReportPath(c.Room, c.Spam), new() { ["reason"] = "spam" });

        Assert.Equal(200, status);
        var (caseRoom, summary) = await c.Mod.WaitForMessageAsync(world.Bot, b => b.Contains($"Room: {c.Room}", StringComparison.Ordinal),
            "the case room's summary to reach the room's moderator");
        Assert.Contains($"Sender: {c.Mallory.UserId}", (string)summary["content"]!["body"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(c.Alice.UserId, (string)summary["content"]!["body"]!, StringComparison.Ordinal);
        // Synapse holds the case room under the bot's alias namespace, as the registration claims it.
        var alias = (string?)(await c.Mod.StateAsync(caseRoom, "m.room.canonical_alias"))?["alias"];
        Assert.StartsWith($"#{world.Target.Registration.SenderLocalpart}-case-", alias, StringComparison.Ordinal);
        Assert.Equal("join", await c.Mod.MembershipAsync(caseRoom, c.Mod.UserId));
        Assert.Null(await c.Mod.MembershipAsync(caseRoom, c.Mallory.UserId));
        Assert.Null(await c.Mod.MembershipAsync(caseRoom, c.Alice.UserId));
    }

    [Fact]
    public async Task An_invite_from_a_member_who_is_not_a_moderator_is_declined()
    {
        var c = await world.RoomAsync();
        var levels = (await c.Mod.StateAsync(c.Room, "m.room.power_levels"))!;
        levels["invite"] = 0;
        await c.Mod.SetStateAsync(c.Room, "m.room.power_levels", "", levels);

        await c.Alice.InviteAsync(c.Room, world.Bot);

        await world.Relay.WaitForLogAsync("Declined", c.Room);
        Assert.Equal("leave", await c.Mod.MembershipAsync(c.Room, world.Bot));
    }

    public static string EventReportPath(string room, string eventId) =>
        $"_matrix/client/v3/rooms/{Uri.EscapeDataString(room)}/report/{Uri.EscapeDataString(eventId)}";
}
