using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Relay.Synapse.Tests.Harness;

namespace Relay.Synapse.Tests;

/// <summary>
/// A raid as moderators meet it on a real Synapse: one offender's messages reported by several members are one case room
/// (one invite), and one command clears it; past the case-room budget, cases are cleared from the incident room.
/// </summary>
[Collection(SynapseCollection.Name)]
public sealed partial class RaidTests(SynapseWorld world)
{
    private static string Linked(string eventId) => Uri.EscapeDataString(eventId);

    private static async Task<bool> IsRedactedAsync(MatrixUser reader, string room, string eventId) =>
        (await reader.EventAsync(room, eventId))["unsigned"]?["redacted_because"] is not null;

    [Fact]
    public async Task Reports_by_several_members_of_one_offenders_messages_are_one_case_room_and_clear_recent_removes_them_all()
    {
        var c = await world.ProtectedRoomAsync();
        var bob = await world.Users.CreateAsync("bob");
        await bob.JoinAsync(c.Room);
        var spam = new List<string> { c.Spam, await c.Mallory.SayAsync(c.Room, "spam two"), await c.Mallory.SayAsync(c.Room, "spam three") };
        var unreported = await c.Mallory.SayAsync(c.Room, "spam nobody reported");
        var innocent = await c.Alice.SayAsync(c.Room, "what is going on?");

        foreach (var e in spam)
        {
            var (status, _) = await world.ToRelayAsync(c.Alice, ProtectionTests.EventReportPath(c.Room, e), new() { ["reason"] = "spam" });
            Assert.Equal(200, status);
            await bob.SendAsync(c.Room, "m.reaction", new JsonObject
            {
                ["m.relates_to"] = new JsonObject { ["rel_type"] = "m.annotation", ["event_id"] = e, ["key"] = "🚩" },
            });
        }

        var (caseRoom, _) = await c.Mod.WaitForMessageAsync(world.Bot, b => spam.All(e => b.Contains(Linked(e), StringComparison.Ordinal))
            && b.Contains("Distinct reporters so far: 2 (6 reports in all)", StringComparison.Ordinal), "one summary of all six reports");
        // One case room, one invite: the moderator is in the protected room and that case room only.
        Assert.Equal(new[] { c.Room, caseRoom }.Order(StringComparer.Ordinal), (await c.Mod.JoinedRoomsAsync()).Order(StringComparer.Ordinal));
        Assert.Empty(await c.Mod.InvitesAsync());

        await c.Mod.SayAsync(caseRoom, "!clear recent raid");

        await Eventually.TrueAsync("mallory to be banned", async () => await c.Mod.MembershipAsync(c.Room, c.Mallory.UserId) == "ban");
        foreach (var e in spam.Append(unreported))
        {
            await Eventually.TrueAsync($"{e} to be redacted", () => IsRedactedAsync(c.Mod, c.Room, e));
        }
        var (_, confirmation) = await c.Mod.WaitForMessageAsync(world.Bot, b => b.Contains("cleared the raid of", StringComparison.Ordinal), "the confirmation");
        var text = (string)confirmation["content"]!["body"]!;
        Assert.Contains("3 of 3 reported event(s) redacted, and 1 of 1 other event(s) of theirs from the last 24 h", text, StringComparison.Ordinal);
        Assert.False(await IsRedactedAsync(c.Mod, c.Room, innocent));
    }

    [Fact]
    public async Task Past_the_case_room_budget_a_case_is_cleared_from_the_incident_room_by_naming_it()
    {
        await world.RestartRelayAsync(new Dictionary<string, string> { ["Relay__Cases__CaseRoomsPerHour"] = "1" });
        try
        {
            var c = await world.ProtectedRoomAsync();
            var eve = await world.Users.CreateAsync("eve");
            await eve.JoinAsync(c.Room);
            var eves = await eve.SayAsync(c.Room, "more spam from another account");
            foreach (var e in new[] { c.Spam, eves })
            {
                var (status, _) = await world.ToRelayAsync(c.Alice, ProtectionTests.EventReportPath(c.Room, e), new() { ["reason"] = "spam" });
                Assert.Equal(200, status);
            }

            var (incident, summary) = await c.Mod.WaitForMessageAsync(world.Bot, b => b.Contains("past the budget", StringComparison.Ordinal)
                && b.Contains(eve.UserId, StringComparison.Ordinal), "the incident summary");
            var reference = GatheredCase().Match((string)summary["content"]!["body"]!).Groups[1].Value;
            Assert.Equal(8, reference.Length);
            Assert.Contains("!clear <case>", (string)summary["content"]!["body"]!, StringComparison.Ordinal);

            await c.Mod.SayAsync(incident, $"!clear {reference}");

            await Eventually.TrueAsync("eve to be banned", async () => await c.Mod.MembershipAsync(c.Room, eve.UserId) == "ban");
            await Eventually.TrueAsync("eve's message to be redacted", () => IsRedactedAsync(c.Mod, c.Room, eves));
            await c.Mod.WaitForMessageAsync(world.Bot, b => b.StartsWith($"Case {reference}: {c.Mod.UserId} cleared the raid of {eve.UserId}",
                StringComparison.Ordinal), "the confirmation in the incident room");
            Assert.NotEqual("ban", await c.Mod.MembershipAsync(c.Room, c.Mallory.UserId));
        }
        finally
        {
            await world.RestartRelayAsync();
        }
    }

    [GeneratedRegex(@"Case (\w{8}) \([^)]*\): @eve")]
    private static partial Regex GatheredCase();
}
