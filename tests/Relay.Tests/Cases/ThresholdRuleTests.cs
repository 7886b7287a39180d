using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Appservice;
using Relay.Core.Cases;
using Relay.Core.Cases.Actions;
using Relay.Core.Cases.Rooms;
using Relay.Core.Cases.Threshold;
using Relay.Core.Escalation;
using Relay.Core.Identifiers;
using Relay.Core.Queue;
using Relay.Tests.Harness;
using Relay.TestHomeserver;

namespace Relay.Tests.Cases;

/// <summary>
/// The report threshold of a protected room (<c>org.relay.report_threshold</c>): N distinct reporters of one event hide it
/// pending review, its text kept with the case, the moderators told; !restore re-posts it.
/// </summary>
public sealed class ThresholdRuleTests
{
    /// <summary>The usual case-room world, its room protected, with the threshold set by @mod when <paramref name="threshold"/> is given.</summary>
    private static async Task<CaseRoomWorld> ProtectedWorldAsync(RelayHarness relay, int? threshold)
    {
        var world = CaseRoomWorld.Create(relay);
        if (threshold is { } n)
        {
            world.Homeserver.SendEvent(world.Room, world.Mod, ThresholdSetting.EventType, new JsonObject { ["reporters"] = n }, stateKey: "");
        }
        return world;
    }

    private static JsonObject? Redaction(CaseRoomWorld world, string eventId) =>
        world.Homeserver.Timeline(world.Room).SingleOrDefault(e => (string?)e["type"] == "m.room.redaction" && (string?)e["redacts"] == eventId);

    private static async Task<Case> ReportedByAsync(CaseRoomWorld world, string eventId, params string[] reporters)
    {
        foreach (var reporter in reporters)
        {
            await world.ReportAsync(eventId, reporter);
        }
        await world.Relay.RunQueueAsync();
        return Assert.Single(await world.Relay.Cases.ListCasesAsync(new CaseQuery()));
    }

    private static IReadOnlyList<string> Notices(CaseRoomWorld world, Case c, string containing) =>
        [.. world.Replies(c).Where(r => r.Contains(containing, StringComparison.Ordinal))];

    [Fact]
    public async Task Reaching_the_rooms_threshold_keeps_the_text_redacts_the_event_audits_and_tells_the_moderators()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = await ProtectedWorldAsync(relay, threshold: 2);
        var spam = world.Spam("buy cheap pills at example.com");

        var c = await ReportedByAsync(world, spam, "member", "member2");

        var redaction = Redaction(world, spam);
        Assert.NotNull(redaction);
        Assert.Equal(world.Bot, (string?)redaction["sender"]);
        Assert.Equal("Hidden pending moderator review after 2 reports", (string?)redaction["content"]!["reason"]);
        var kept = Assert.Single(await relay.App.Services.GetRequiredService<IEvidenceStore>().GetAsync(c.Id));
        Assert.Equal(spam, kept.Item);
        Assert.Contains("buy cheap pills at example.com", kept.Content, StringComparison.Ordinal);
        var notice = Assert.Single(Notices(world, c, "Hidden pending your review"));
        Assert.Contains($"a message of {world.Spammer} in {world.Room} reached the room's threshold of 2 reporters", notice);
        Assert.Contains("!restore", notice);
        Assert.Contains("buy cheap pills at example.com", notice);
        var line = Assert.Single(await relay.Cases.GetAuditAsync(c.Id), a => a.Action == ThresholdRedactions.Redacted);
        Assert.Equal($"{spam} reporters=2 threshold=2", line.Detail);
        Assert.Empty(world.Homeserver.Violations);
    }

    [Theory]
    [InlineData(null, new[] { "member", "member2", "member3" })]
    [InlineData(3, new[] { "member", "member2" })]
    [InlineData(2, new[] { "member", "member", "spammer" })]
    public async Task Without_a_threshold_below_it_or_by_repeats_and_self_reports_nothing_is_hidden(int? threshold, string[] reporters)
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = await ProtectedWorldAsync(relay, threshold);
        var spam = world.Spam();

        var c = await ReportedByAsync(world, spam, reporters);

        Assert.Null(Redaction(world, spam));
        Assert.Empty(await relay.App.Services.GetRequiredService<IEvidenceStore>().GetAsync(c.Id));
        Assert.DoesNotContain(await world.AuditActionsAsync(c.Id), a => a.StartsWith("threshold.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_room_that_is_not_protected_is_never_hidden_in_even_with_the_state_set()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay, isProtected: false);
        world.Homeserver.SendEvent(world.Room, world.Mod, ThresholdSetting.EventType, new JsonObject { ["reporters"] = 2 }, stateKey: "");
        var spam = world.Spam();

        await ReportedByAsync(world, spam, "member", "member2");

        Assert.Null(Redaction(world, spam));
    }

    [Fact]
    public async Task A_threshold_set_after_a_read_counts_at_once_when_its_state_event_reaches_Relay()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = await ProtectedWorldAsync(relay, threshold: null);
        var spam = world.Spam();
        var c = await ReportedByAsync(world, spam, "member", "member2");
        Assert.Null(Redaction(world, spam));

        var setting = world.Homeserver.SendEvent(world.Room, world.Mod, ThresholdSetting.EventType, new JsonObject { ["reporters"] = 2 }, stateKey: "");
        await world.DeliverAsync(world.Room, setting);
        await relay.App.Services.GetRequiredService<OpenCase>().HandleAsync(
            new QueueDelivery(ReportReceived.ToMessage(new ReportReceived(c.Id.Value, "again", false)), 1, false), CancellationToken.None);

        Assert.NotNull(Redaction(world, spam));
    }

    [Fact]
    public async Task More_reports_and_redeliveries_hide_the_event_once()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = await ProtectedWorldAsync(relay, threshold: 2);
        var spam = world.Spam();
        var c = await ReportedByAsync(world, spam, "member", "member2");

        await ReportedByAsync(world, spam, "member3");
        await relay.App.Services.GetRequiredService<OpenCase>().HandleAsync(
            new QueueDelivery(ReportReceived.ToMessage(new ReportReceived(c.Id.Value, "again", true)), 2, false), CancellationToken.None);

        Assert.Single(world.Homeserver.Timeline(world.Room), e => (string?)e["type"] == "m.room.redaction");
        Assert.Single(await relay.Cases.GetAuditAsync(c.Id), a => a.Action == ThresholdRedactions.Redacted);
        Assert.Single(Notices(world, c, "Hidden pending your review"));
    }

    [Fact]
    public async Task A_message_of_a_room_moderator_is_left_to_the_moderators_and_the_case_says_why()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = await ProtectedWorldAsync(relay, threshold: 2);
        var modMessage = relay.Message(world.Room, world.Mod, "moderator speaking");

        var c = await ReportedByAsync(world, modMessage, "member", "member2");

        Assert.Null(Redaction(world, modMessage));
        var skipped = Assert.Single(await relay.Cases.GetAuditAsync(c.Id), a => a.Action == ThresholdRedactions.Skipped);
        Assert.Equal($"{modMessage} sent by a moderator of the room; left for the moderators", skipped.Detail);
    }

    [Fact]
    public async Task A_refused_redaction_is_audited_told_once_and_retried_by_the_queue()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = await ProtectedWorldAsync(relay, threshold: 2);
        var spam = world.Spam();
        foreach (var reporter in new[] { "member", "member2" })
        {
            await world.ReportAsync(spam, reporter);
        }
        var filed = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        world.Homeserver.InjectFault(r => r.Path.Contains("/redact/", StringComparison.Ordinal), Fault.Status(403), times: 2);
        var handler = relay.App.Services.GetRequiredService<OpenCase>();
        QueueDelivery Delivery(int count) => new(ReportReceived.ToMessage(new ReportReceived(filed.Id.Value, "r", true)), count, false);

        await Assert.ThrowsAnyAsync<Exception>(() => handler.HandleAsync(Delivery(1), CancellationToken.None));
        await Assert.ThrowsAnyAsync<Exception>(() => handler.HandleAsync(Delivery(2), CancellationToken.None));
        var c = await world.CaseAsync(filed.Id);
        Assert.Null(Redaction(world, spam));
        Assert.Equal(2, (await relay.Cases.GetAuditAsync(c.Id)).Count(a => a.Action == ThresholdRedactions.Failed && a.Detail == $"{spam} M_UNKNOWN (403)"));
        Assert.Contains("I could not hide it", Assert.Single(Notices(world, c, "could not hide")));

        await handler.HandleAsync(Delivery(3), CancellationToken.None);

        Assert.NotNull(Redaction(world, spam));
        Assert.Single(Notices(world, c, "Hidden pending your review"));
    }

    [Fact]
    public async Task Restore_reposts_the_kept_text_in_the_room_attributed_and_only_once()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = await ProtectedWorldAsync(relay, threshold: 2);
        var spam = world.Spam("not spam after all");
        var c = await ReportedByAsync(world, spam, "member", "member2");

        Assert.Equal(CaseEventOutcome.Done, await world.CommandAsync(c, world.Mod, "!restore"));

        var restored = Assert.Single(world.BotEvents(world.Room), e => ((string?)e["content"]!["body"])?.StartsWith("Restored", StringComparison.Ordinal) == true);
        Assert.Matches($@"^Restored by the moderators: message from {System.Text.RegularExpressions.Regex.Escape(world.Spammer)} at \d{{4}}-\d\d-\d\d \d\d:\d\d UTC: not spam after all$",
            (string)restored["content"]!["body"]!);
        Assert.Equal("m.notice", (string?)restored["content"]!["msgtype"]);
        Assert.Contains(world.Replies(c), r => r.StartsWith($"{world.Mod} restored 1 hidden message: re-posted in {world.Room}", StringComparison.Ordinal));
        var line = Assert.Single(await relay.Cases.GetAuditAsync(c.Id), a => a.Action == "action.restore");
        Assert.Equal(world.Mod, line.Actor);
        Assert.StartsWith($"restored {spam} trigger=", line.Detail);

        Assert.Equal(CaseEventOutcome.Rejected, await world.CommandAsync(c, world.Mod, "!restore"));
        Assert.Single(world.BotEvents(world.Room), e => ((string?)e["content"]!["body"])?.StartsWith("Restored", StringComparison.Ordinal) == true);
        Assert.Contains(world.Replies(c), r => r.Contains("there is nothing to restore", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_a_moderator_of_the_reported_room_may_restore()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = await ProtectedWorldAsync(relay, threshold: 2);
        var spam = world.Spam();
        var c = await ReportedByAsync(world, spam, "member", "member2");

        Assert.Equal(CaseEventOutcome.Refused, await world.CommandAsync(c, world.Member, "!restore"));

        Assert.DoesNotContain(world.BotEvents(world.Room), e => ((string?)e["content"]!["body"])?.StartsWith("Restored", StringComparison.Ordinal) == true);
        Assert.Contains(await relay.Cases.GetAuditAsync(c.Id), a => a.Action == "action.refused" && a.Detail == "restore: not a moderator of " + world.Room);
    }

    [Fact]
    public async Task Flag_reactions_arriving_in_transactions_hide_the_event_at_the_threshold()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = await ProtectedWorldAsync(relay, threshold: 2);
        var spam = world.Spam();
        JsonObject Flag() => new()
        {
            ["m.relates_to"] = new JsonObject { ["rel_type"] = "m.annotation", ["event_id"] = spam, ["key"] = "🚩" },
        };

        world.Homeserver.SendEvent(world.Room, world.Member, "m.reaction", Flag());
        await MatrixAssert.OkAsync(await relay.PushAsync([relay.LastEvent(world.Room)]));
        await relay.RunQueueAsync();
        Assert.Null(Redaction(world, spam));
        world.Homeserver.SendEvent(world.Room, world.U("member2"), "m.reaction", Flag());
        await MatrixAssert.OkAsync(await relay.PushAsync([relay.LastEvent(world.Room)]));
        await relay.RunQueueUntilAsync(() => Redaction(world, spam) is not null);

        var c = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal(2, c.ReporterCount);
        Assert.Contains(await world.AuditActionsAsync(c.Id), a => a == ThresholdRedactions.Redacted);
    }
}
