using Relay.Synapse.Tests.Harness;

namespace Relay.Synapse.Tests;

/// <summary>A moderator acts from the case room; the effect is read back from Synapse, and the reporter told the outcome.</summary>
[Collection(SynapseCollection.Name)]
public sealed class CaseRoomActionTests(SynapseWorld world)
{
    [Fact]
    public async Task Redact_kick_ban_and_resolve_from_the_case_room_act_in_Synapse_and_the_reporter_gets_the_outcome()
    {
        var c = await world.ProtectedRoomAsync();
        var (status, _) = await world.ToRelayAsync(c.Alice, ProtectionTests.EventReportPath(c.Room, c.Spam), new() { ["reason"] = "spam" });
        Assert.Equal(200, status);
        var (caseRoom, _) = await c.Mod.WaitForMessageAsync(world.Bot, b => b.Contains(Uri.EscapeDataString(c.Spam), StringComparison.Ordinal), "the case room");

        await c.Mod.SayAsync(caseRoom, "!redact spam is not welcome");
        await Eventually.TrueAsync("the reported message to be redacted in Synapse", async () =>
            (await c.Mod.EventAsync(c.Room, c.Spam))["unsigned"]?["redacted_because"] is not null);

        await c.Mod.SayAsync(caseRoom, "!kick spamming");
        await Eventually.TrueAsync("mallory to be kicked", async () => await c.Mod.MembershipAsync(c.Room, c.Mallory.UserId) == "leave");
        var kick = (await c.Mod.StateAsync(c.Room, "m.room.member", c.Mallory.UserId))!;
        Assert.Equal("spamming", (string?)kick["reason"]);

        await c.Mod.SayAsync(caseRoom, "!ban still spamming");
        await Eventually.TrueAsync("mallory to be banned", async () => await c.Mod.MembershipAsync(c.Room, c.Mallory.UserId) == "ban");

        await c.Mod.SayAsync(caseRoom, "!resolve dealt with");
        var (_, outcome) = await c.Alice.WaitForMessageAsync(world.Bot, b => b.Contains("is closed: the moderators acted on it", StringComparison.Ordinal),
            "the outcome DM to the reporter");
        Assert.DoesNotContain(c.Mod.UserId, (string)outcome["content"]!["body"]!, StringComparison.Ordinal);
    }
}
