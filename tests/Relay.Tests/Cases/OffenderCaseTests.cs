using System.Text.Json.Nodes;
using Relay.Core.Cases;
using Relay.Core.Cases.Actions;
using Relay.Tests.Harness;

namespace Relay.Tests.Cases;

/// <summary>A raid by one account is one case with one room; the reported user reporting themselves counts for nothing.</summary>
public sealed class OffenderCaseTests
{
    [Fact]
    public async Task Reports_on_one_senders_messages_share_one_case_room_whose_summary_lists_each_event()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var first = world.Spam("one");
        var second = world.Spam("two");
        var opened = await world.ReportAsync(first, reporter: "member");
        await relay.RunQueueAsync();

        await world.ReportAsync(second, reporter: "member");
        await world.ReportAsync(second, reporter: "member2");
        await relay.RunQueueAsync();

        var c = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal(opened.Id, c.Id);
        Assert.Equal((2, 3), (c.ReporterCount, c.ReportCount));
        Assert.Single(world.Homeserver.Requests, r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal));
        Assert.Equal(2, world.Homeserver.Members(c.CaseRoom!.Value.Value, "invite").Count);
        var latest = world.BotEvents(c.CaseRoom!.Value.Value)[^1]["content"]!;
        Assert.Equal(c.SummaryEvent!.Value.Value, (string?)latest["m.relates_to"]?["event_id"]);
        var body = (string)latest["m.new_content"]!["body"]!;
        Assert.Contains("Reported events: 2", body);
        Assert.Contains($"{Uri.EscapeDataString(first)} (m.room.message), first reported", body);
        Assert.Matches($@"{Regex(second)} \(m\.room\.message\), first reported .*, 2 reporters", body);
        Assert.Contains("Distinct reporters so far: 2", body);
        Assert.Empty(world.Homeserver.Violations);
    }

    [Fact]
    public async Task A_self_report_is_recorded_without_counting_and_its_author_gets_no_outcome_dm()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var spam = world.Spam();
        await world.ReportAsync(spam, reporter: "member");
        var c = await world.ReportAsync(spam, reporter: "spammer", reason: "it was not me");
        await relay.RunQueueAsync();
        c = await world.CaseAsync(c.Id);
        Assert.Equal((1, 2), (c.ReporterCount, c.ReportCount));
        Assert.Contains((await relay.Cases.GetAuditAsync(c.Id)), a => a.Action == "report.filed" && a.Detail!.Contains("self_report"));

        world.JoinCaseRoom(c, world.Mod);
        Assert.Equal(CaseEventOutcome.Done, await world.CommandAsync(c, world.Mod, "!resolve"));
        await relay.RunQueueAsync();

        var dmRooms = world.Homeserver.Requests.Where(r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal)
            && r.BodyJson()?["is_direct"]?.GetValue<bool>() == true).Select(r => r.BodyJson()!["invite"]![0]!.GetValue<string>()).ToList();
        Assert.Equal([world.Member], dmRooms);
        Assert.DoesNotContain(world.Homeserver.Requests, r => r.BodyText.Contains("Your report", StringComparison.Ordinal)
            && r.BodyText.Contains(world.Spammer, StringComparison.Ordinal));
        Assert.Empty(world.Homeserver.Violations);
    }

    private static string Regex(string eventId) => System.Text.RegularExpressions.Regex.Escape(Uri.EscapeDataString(eventId));
}
