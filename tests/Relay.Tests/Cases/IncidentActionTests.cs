using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Appservice;
using Relay.Core.Identifiers;
using Relay.Core.Cases;
using Relay.Core.Cases.Actions;
using Relay.Core.Cases.Threshold;
using Relay.Core.Reports;
using Relay.Tests.Harness;

namespace Relay.Tests.Cases;

/// <summary>
/// Cases gathered into an incident (past the case-room budget) are acted on from the incident room by naming them:
/// the same actions, moderator check, audit and confirmation as in a case room.
/// </summary>
public sealed class IncidentActionTests
{
    private static readonly string[] Raiders = ["spammer", "member2", "member3"];

    private sealed record Raid(CaseRoomWorld World, string Incident, List<Case> Gathered, Dictionary<CaseId, string> Events);

    /// <summary>One case room allowed per hour: the first raider's case gets it, the other two are gathered.</summary>
    private static async Task<Raid> RaidAsync(RelayHarness relay)
    {
        var world = CaseRoomWorld.Create(relay);
        foreach (var raider in Raiders)
        {
            await world.ReportAsync(relay.Message(world.Room, world.U(raider), "raid"), reporter: "member");
        }
        await relay.RunQueueAsync();
        var gathered = (await relay.Cases.ListCasesAsync(new CaseQuery())).Where(c => c.IsGathered).OrderBy(c => c.OpenedAt).ToList();
        Assert.Equal(2, gathered.Count);
        var incident = gathered[0].Incident!.Value.Value;
        return new Raid(world, incident, gathered, gathered.ToDictionary(c => c.Id, c => ((ReportTarget.Event)c.Target).EventId.Value));
    }

    private static Task<RelayHarness> StartAsync() =>
        RelayHarness.StartAsync(new Dictionary<string, string?> { ["Relay:Cases:CaseRoomsPerHour"] = "1" });

    private static Task<CaseEventOutcome> SayAsync(Raid raid, string sender, string body) =>
        raid.World.DeliverAsync(raid.Incident, raid.World.Homeserver.SendEvent(raid.Incident, sender, "m.room.message",
            new JsonObject { ["msgtype"] = "m.text", ["body"] = body }));

    private static List<string> Notices(Raid raid) =>
        [.. raid.World.BotEvents(raid.Incident).Where(e => e["content"]!["m.new_content"] is null && (string?)e["content"]!["msgtype"] == "m.notice")
            .Select(e => (string)e["content"]!["body"]!).Where(b => !b.StartsWith("Incident in", StringComparison.Ordinal))];

    private static bool IsRedacted(CaseRoomWorld world, string eventId) =>
        world.Homeserver.Timeline(world.Room).Any(e => (string?)e["type"] == "m.room.redaction" && (string?)e["redacts"] == eventId);

    private static string Sender(Case c) => c.Target.ReportedUser!.Value.Value;

    [Fact]
    public async Task Clear_naming_a_gathered_case_bans_and_redacts_confirms_in_the_incident_and_audits_on_the_case()
    {
        await using var relay = await StartAsync();
        var raid = await RaidAsync(relay);
        var (target, other) = (raid.Gathered[0], raid.Gathered[1]);

        var outcome = await SayAsync(raid, raid.World.Mod, $"!clear {target.Id.Short.ToLowerInvariant()} raid");

        Assert.Equal(CaseEventOutcome.Done, outcome);
        var banned = raid.World.Homeserver.Members(raid.World.Room, "ban");
        Assert.Contains(Sender(target), banned);
        Assert.DoesNotContain(Sender(other), banned);
        Assert.True(IsRedacted(raid.World, raid.Events[target.Id]));
        Assert.False(IsRedacted(raid.World, raid.Events[other.Id]));
        var notice = Assert.Single(Notices(raid));
        Assert.StartsWith($"Case {target.Id.Short}: {raid.World.Mod} cleared the raid of {Sender(target)}", notice);
        Assert.Contains((await relay.Cases.GetAuditAsync(target.Id)), a => a.Action == "action.clear" && a.Actor == raid.World.Mod);
        Assert.Equal(CaseState.Acknowledged, (await raid.World.CaseAsync(target.Id)).State);
        // The summary is edited to show the case's new state.
        var summary = (string)raid.World.BotEvents(raid.Incident)[^1]["content"]!["m.new_content"]!["body"]!;
        Assert.Contains($"Case {target.Id.Short} (unspecified, acknowledged)", summary);
        Assert.Contains("!clear <case>", summary);
        Assert.Empty(raid.World.Homeserver.Violations);
    }

    [Fact]
    public async Task A_command_in_a_protected_room_or_a_DM_is_never_taken_as_one_for_an_incident()
    {
        await using var relay = await StartAsync();
        var raid = await RaidAsync(relay);
        var incident = RoomId.Parse(raid.Incident);
        // Were the incident room protected, or a DM of the bot, it would be one where members type commands freely.
        await relay.App.Services.GetRequiredService<IProtectedRoomStore>().ProtectAsync(incident, UserId.Parse(raid.World.Mod), DateTimeOffset.UnixEpoch);

        Assert.Equal(CaseEventOutcome.Ignored, await SayAsync(raid, raid.World.Mod, "!clear all"));
        await relay.App.Services.GetRequiredService<IProtectedRoomStore>().UnprotectAsync(incident);
        await relay.App.Services.GetRequiredService<IDirectRoomStore>().RecordAsync(UserId.Parse(raid.World.Mod), incident, DateTimeOffset.UnixEpoch);
        Assert.Equal(CaseEventOutcome.Ignored, await SayAsync(raid, raid.World.Mod, "!clear all"));

        Assert.Empty(raid.World.Homeserver.Members(raid.World.Room, "ban"));
        Assert.Empty(Notices(raid));
    }

    [Fact]
    public async Task Clear_all_acts_on_every_open_gathered_case()
    {
        await using var relay = await StartAsync();
        var raid = await RaidAsync(relay);

        Assert.Equal(CaseEventOutcome.Done, await SayAsync(raid, raid.World.Mod, "!clear all"));

        Assert.All(raid.Gathered, c => Assert.Contains(Sender(c), raid.World.Homeserver.Members(raid.World.Room, "ban")));
        Assert.All(raid.Gathered, c => Assert.True(IsRedacted(raid.World, raid.Events[c.Id])));
        Assert.Equal(2, Notices(raid).Count);
        // The case with a room of its own is not the incident's to act on.
        var roomed = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()), c => !c.IsGathered);
        Assert.DoesNotContain(Sender(roomed), raid.World.Homeserver.Members(raid.World.Room, "ban"));
    }

    [Fact]
    public async Task Clear_all_recent_also_redacts_each_gathered_offenders_unreported_messages()
    {
        await using var relay = await StartAsync();
        var raid = await RaidAsync(relay);
        var unreported = raid.Gathered.Select(c => relay.Message(raid.World.Room, Sender(c), "unreported")).ToList();
        var roomed = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()), c => !c.IsGathered);
        var untouched = relay.Message(raid.World.Room, Sender(roomed), "not this incident's");

        Assert.Equal(CaseEventOutcome.Done, await SayAsync(raid, raid.World.Mod, "!clear all recent raid"));

        Assert.All(unreported, e => Assert.True(IsRedacted(raid.World, e), e));
        Assert.False(IsRedacted(raid.World, untouched));
        Assert.All(Notices(raid), n => Assert.Contains("and 1 of 1 other event(s) of theirs from the last 24 h", n));
    }

    [Fact]
    public async Task A_non_moderator_naming_a_case_is_refused_audited_and_nothing_happens()
    {
        await using var relay = await StartAsync();
        var raid = await RaidAsync(relay);
        var target = raid.Gathered[0];

        Assert.Equal(CaseEventOutcome.Refused, await SayAsync(raid, raid.World.Member, $"!ban {target.Id.Short}"));

        Assert.Empty(raid.World.Homeserver.Members(raid.World.Room, "ban"));
        Assert.Contains(await relay.Cases.GetAuditAsync(target.Id), a => a.Action == "action.refused" && a.Detail == "ban: not a moderator of " + raid.World.Room);
        Assert.Empty(Notices(raid));
    }

    [Theory]
    [InlineData("!resolve", "Name the case: !resolve <case> [text]")]
    [InlineData("!resolve ZZZZZZZZ", "No case ZZZZZZZZ in this incident; the summary lists its cases.")]
    public async Task A_command_that_names_no_gathered_case_is_explained_and_changes_nothing(string body, string explained)
    {
        await using var relay = await StartAsync();
        var raid = await RaidAsync(relay);

        Assert.Equal(CaseEventOutcome.Rejected, await SayAsync(raid, raid.World.Mod, body));

        Assert.StartsWith(explained, Assert.Single(Notices(raid)));
        Assert.All(raid.Gathered, c => Assert.Equal(CaseState.Open, c.State));
        Assert.All(await relay.Cases.ListCasesAsync(new CaseQuery()), c => Assert.Equal(CaseState.Open, c.State));
    }

    [Fact]
    public async Task Resolve_naming_a_case_closes_it_and_says_so_in_the_incident()
    {
        await using var relay = await StartAsync();
        var raid = await RaidAsync(relay);
        var target = raid.Gathered[1];

        Assert.Equal(CaseEventOutcome.Done, await SayAsync(raid, raid.World.Mod, $"!resolve {target.Id.Short} handled"));

        Assert.Equal(CaseState.Resolved, (await raid.World.CaseAsync(target.Id)).State);
        Assert.StartsWith($"Case {target.Id.Short}: ", Assert.Single(Notices(raid)));
        Assert.Equal(CaseState.Open, (await raid.World.CaseAsync(raid.Gathered[0].Id)).State);
    }

    [Fact]
    public async Task A_gathered_case_the_threshold_hid_is_restored_by_naming_it_in_the_incident_as_its_notice_says()
    {
        await using var relay = await StartAsync();
        var raid = await RaidAsync(relay);
        var world = raid.World;
        world.Homeserver.SendEvent(world.Room, world.Mod, ThresholdSetting.EventType, new JsonObject { ["reporters"] = 2 }, stateKey: "");
        var target = raid.Gathered[0];
        await world.ReportAsync(raid.Events[target.Id], reporter: "owner");
        await relay.RunQueueAsync();
        Assert.True(IsRedacted(world, raid.Events[target.Id]));
        var hidden = Assert.Single(Notices(raid), n => n.StartsWith("Hidden pending your review", StringComparison.Ordinal));
        Assert.Contains($"If it should stay, !restore {target.Id.Short} re-posts it", hidden);

        var outcome = await SayAsync(raid, world.Mod, $"!restore {target.Id.Short}");

        Assert.Equal(CaseEventOutcome.Done, outcome);
        Assert.Single(world.BotEvents(world.Room), e => ((string?)e["content"]!["body"])?.StartsWith("Restored by the moderators", StringComparison.Ordinal) == true);
        Assert.Contains(Notices(raid), n => n.StartsWith($"Case {target.Id.Short}: {world.Mod} restored 1 hidden message", StringComparison.Ordinal));
    }
}
