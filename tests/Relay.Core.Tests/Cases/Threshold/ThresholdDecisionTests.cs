using System.Text.Json.Nodes;
using Relay.Core.Cases;
using Relay.Core.Cases.Threshold;
using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Core.Tests.Cases.Threshold;

/// <summary>The threshold rule as a table: distinct non-self reporters of one event against the room's N.</summary>
public sealed class ThresholdDecisionTests
{
    private static readonly RoomId Room = RoomId.Parse("!room:example.org");
    private static readonly EventId Spam = EventId.Parse("$spam:example.org");
    private static readonly UserId Mallory = UserId.Parse("@mallory:example.org");
    private static readonly CaseId Case = CaseId.Parse("01JTHR00000000000000000000");
    private static readonly DateTimeOffset At = new(2026, 12, 6, 5, 0, 0, TimeSpan.Zero);

    /// <summary>Reports about the spam event: one per entry, by that reporter hash; "self" marks a self-report.</summary>
    private static ReportedEvent Reported(params string[] reporters)
    {
        var reports = reporters.Select((r, i) => new Report(
            $"r{i}", Case, new ReportTarget.Event(Room, Spam, Mallory, "m.room.message"), r,
            r == "self" ? Mallory : UserId.Parse($"@{r}:example.org"), null, null, ReportSource.Reaction, At.AddMinutes(i), null));
        return Assert.Single(ReportedEvents.Of(reports).Events);
    }

    public static TheoryData<string, string[], int?, bool, bool, ThresholdVerdict> Table => new()
    {
        { "off by default: no threshold set", ["a", "b", "c", "d"], null, false, false, ThresholdVerdict.Off },
        { "N-1 distinct reporters", ["a", "b"], 3, false, false, ThresholdVerdict.Below },
        { "N distinct reporters", ["a", "b", "c"], 3, false, false, ThresholdVerdict.Hide },
        { "more than N", ["a", "b", "c", "d"], 3, false, false, ThresholdVerdict.Hide },
        { "a self-report does not count", ["a", "b", "self"], 3, false, false, ThresholdVerdict.Below },
        { "a repeated reporter counts once", ["a", "b", "b", "a"], 3, false, false, ThresholdVerdict.Below },
        { "already hidden", ["a", "b", "c"], 3, true, false, ThresholdVerdict.AlreadyHidden },
        { "sent by a moderator", ["a", "b", "c"], 3, false, true, ThresholdVerdict.SenderIsModerator },
        { "the smallest threshold, two", ["a", "b"], 2, false, false, ThresholdVerdict.Hide },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void The_rule_hides_an_event_exactly_when_its_distinct_reporters_reach_the_threshold(
        string why, string[] reporters, int? threshold, bool hidden, bool moderator, ThresholdVerdict expected)
    {
        Assert.True(expected == ThresholdDecision.Decide(Reported(reporters), threshold, hidden, moderator), why);
    }

    public static TheoryData<string?, int?> Settings => new()
    {
        { null, null },
        { "{}", null },
        { """{"reporters": 1}""", null },
        { """{"reporters": 0}""", null },
        { """{"reporters": -3}""", null },
        { """{"reporters": 101}""", null },
        { """{"reporters": "3"}""", null },
        { """{"reporters": 2.5}""", null },
        { """{"reporters": 2}""", 2 },
        { """{"reporters": 5}""", 5 },
        { """{"reporters": 100}""", 100 },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void The_room_setting_is_a_whole_number_from_two_to_a_hundred_and_anything_else_leaves_the_rule_off(string? content, int? expected)
    {
        var json = content is null ? null : JsonNode.Parse(content)!.AsObject();

        Assert.Equal(expected, ThresholdSetting.Parse(json));
    }
}
