using System.Text.Json.Nodes;
using Relay.Synapse.Tests.Harness;

namespace Relay.Synapse.Tests;

/// <summary>The report threshold against Synapse: two members' reports hide mallory's message, and !restore brings its text back.</summary>
[Collection(SynapseCollection.Name)]
public sealed class ThresholdRuleTests(SynapseWorld world)
{
    [Fact]
    public async Task Two_reports_hide_the_message_in_Synapse_and_restore_from_the_case_room_reposts_its_text()
    {
        var c = await world.ProtectedRoomAsync();
        var bob = await world.Users.CreateAsync("bob");
        await bob.JoinAsync(c.Room);
        await c.Mod.SetStateAsync(c.Room, "org.relay.report_threshold", "", new JsonObject { ["reporters"] = 2 });

        foreach (var reporter in new[] { c.Alice, bob })
        {
            var (status, _) = await world.ToRelayAsync(reporter, ProtectionTests.EventReportPath(c.Room, c.Spam), new() { ["reason"] = "spam" });
            Assert.Equal(200, status);
        }

        await Eventually.TrueAsync("the reported message to be redacted in Synapse", async () =>
            (await c.Mod.EventAsync(c.Room, c.Spam))["unsigned"]?["redacted_because"] is not null);
        var redacted = await c.Mod.EventAsync(c.Room, c.Spam);
        Assert.Equal(world.Bot, (string?)redacted["unsigned"]!["redacted_because"]!["sender"]);
        Assert.Null(redacted["content"]?["body"]);
        var (caseRoom, _) = await c.Mod.WaitForMessageAsync(world.Bot, b => b.Contains("Hidden pending your review", StringComparison.Ordinal),
            "the threshold notice in the case room");

        await c.Mod.SayAsync(caseRoom, "!restore");

        var restored = $"Restored by the moderators: message from {c.Mallory.UserId} at ";
        await Eventually.TrueAsync("the restored text in the room", async () => (await c.Mod.MessagesAsync(c.Room)).Any(e =>
            (string?)e["sender"] == world.Bot && ((string?)e["content"]?["body"])?.StartsWith(restored, StringComparison.Ordinal) == true
            && ((string?)e["content"]?["body"])?.EndsWith(": buy cheap followers at spam.example", StringComparison.Ordinal) == true));
    }
}
