using System.Text.Json.Nodes;
using Relay.Synapse.Tests.Harness;

namespace Relay.Synapse.Tests;

/// <summary>Reports from inside Matrix: Synapse pushes the events to Relay in transactions, as it does in production.</summary>
[Collection(SynapseCollection.Name)]
public sealed class InMatrixReportTests(SynapseWorld world)
{
    [Fact]
    public async Task A_flag_reaction_files_a_report_is_redacted_and_the_reporter_gets_the_case_reference_by_DM()
    {
        var c = await world.ProtectedRoomAsync();

        var flag = await c.Alice.SendAsync(c.Room, "m.reaction", new JsonObject
        {
            ["m.relates_to"] = new JsonObject { ["rel_type"] = "m.annotation", ["event_id"] = c.Spam, ["key"] = "🚩" },
        });

        await c.Mod.WaitForMessageAsync(world.Bot, b => b.Contains(Uri.EscapeDataString(c.Spam), StringComparison.Ordinal), "the 🚩's case room");
        await c.Alice.WaitForMessageAsync(world.Bot, b => b.StartsWith("Thank you. Your report was received as case", StringComparison.Ordinal),
            "the DM with the case reference");
        await AssertRedactedAsync(c, flag);
    }

    [Fact]
    public async Task A_report_command_in_reply_files_a_report_with_its_reason_and_is_redacted()
    {
        var c = await world.ProtectedRoomAsync();

        var command = await c.Alice.SendAsync(c.Room, "m.room.message", new JsonObject
        {
            ["msgtype"] = "m.text",
            ["body"] = "> <" + c.Mallory.UserId + "> buy cheap followers\n\n!report selling followers",
            ["m.relates_to"] = new JsonObject { ["m.in_reply_to"] = new JsonObject { ["event_id"] = c.Spam } },
        });

        var (_, summary) = await c.Mod.WaitForMessageAsync(world.Bot, b => b.Contains(Uri.EscapeDataString(c.Spam), StringComparison.Ordinal), "the !report's case room");
        Assert.Contains("Reason: selling followers", (string)summary["content"]!["body"]!, StringComparison.Ordinal);
        await c.Alice.WaitForMessageAsync(world.Bot, b => b.StartsWith("Thank you. Your report was received", StringComparison.Ordinal), "the DM");
        await AssertRedactedAsync(c, command);
    }

    [Fact]
    public async Task A_DM_with_a_message_link_files_a_report_and_followup_invites_the_reporter_to_read_the_case_room()
    {
        var c = await world.ProtectedRoomAsync();
        var dm = await c.Alice.CreateRoomAsync("trusted_private_chat", [world.Bot], isDirect: true);
        await Eventually.TrueAsync("the bot to accept the DM", async () => await c.Alice.MembershipAsync(dm, world.Bot) == "join");

        await c.Alice.SayAsync(dm, $"https://matrix.to/#/{c.Room}/{c.Spam}?via={world.ServerName} this is a scam");

        var (caseRoom, _) = await c.Mod.WaitForMessageAsync(world.Bot, b => b.Contains(Uri.EscapeDataString(c.Spam), StringComparison.Ordinal), "the DM report's case room");
        var (_, thanks) = await c.Alice.WaitForMessageAsync(world.Bot, b => b.StartsWith("Thank you. Your report was received", StringComparison.Ordinal),
            "the reply in the DM");
        var caseId = ((string)thanks["content"]!["body"]!).Split("!followup ")[1].Split(' ', ')')[0].TrimEnd('.');
        await c.Alice.SayAsync(dm, $"!followup {caseId}");
        await c.Alice.WaitForMessageAsync(world.Bot, b => b.Contains($"You now follow case {caseId}", StringComparison.Ordinal), "the follow-up answer");
        await Eventually.TrueAsync("alice in the case room", async () => await c.Mod.MembershipAsync(caseRoom, c.Alice.UserId) is "invite" or "join");
        var levels = (await c.Mod.StateAsync(caseRoom, "m.room.power_levels"))!;
        Assert.Equal(-1, (int?)levels["users"]![c.Alice.UserId]);
    }

    /// <summary>The trigger is redacted in Synapse, so the room never learns who reported.</summary>
    private static Task AssertRedactedAsync(Community c, string trigger) =>
        Eventually.TrueAsync("the report's trigger to be redacted", async () =>
            (await c.Mod.EventAsync(c.Room, trigger))["unsigned"]?["redacted_because"] is not null);
}
