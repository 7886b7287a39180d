using Relay.Core.Cases;
using Relay.Core.Cases.Rooms;
using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Core.Tests.Cases;

/// <summary>The summary offers moderators only what can act on the case's target, with the settings Relay runs with.</summary>
public sealed class CaseSummaryActionsTests
{
    private static readonly RoomId Room = RoomId.Parse("!room:example.org");
    private static readonly UserId Spammer = UserId.Parse("@spammer:evil.example");
    private static readonly CaseRoomSettings NoPolicyRoom = new([]);
    private static readonly CaseRoomSettings WithPolicyRoom = new([], PolicyRoom: RoomId.Parse("!policies:example.org"));

    private static Case About(ReportTarget target) =>
        new(CaseId.Parse("01J2AAAAAAAAAAAAAAAAAAAAAA"), target, CaseState.Open, 1, HarmCategory.Parse("m.spam.fraud"), 1, 1,
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    private static string Actions(ReportTarget target, CaseRoomSettings settings) =>
        CaseSummary.Render(About(target), "spam", settings: settings).Body.Split('\n').Single(l => l.StartsWith("Actions: ", StringComparison.Ordinal));

    [Fact]
    public void An_event_report_offers_redact_kick_and_ban_but_no_policy_ban_without_a_policy_room()
    {
        var actions = Actions(new ReportTarget.Event(Room, EventId.Parse("$ev:example.org"), Spammer, "m.room.message"), NoPolicyRoom);

        Assert.Contains("redact the event", actions, StringComparison.Ordinal);
        Assert.Contains("!kick [reason]", actions, StringComparison.Ordinal);
        Assert.Contains("!ban [reason]", actions, StringComparison.Ordinal);
        Assert.DoesNotContain("policy-ban", actions, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_room_adds_the_policy_ban() =>
        Assert.Contains("!policy-ban [reason]",
            Actions(new ReportTarget.Event(Room, EventId.Parse("$ev:example.org"), Spammer, "m.room.message"), WithPolicyRoom),
            StringComparison.Ordinal);

    [Fact]
    public void A_room_report_offers_nothing_aimed_at_an_event_or_a_user()
    {
        var actions = Actions(new ReportTarget.RoomTarget(Room), WithPolicyRoom);

        Assert.DoesNotContain("redact", actions, StringComparison.Ordinal);
        Assert.DoesNotContain("kick", actions, StringComparison.Ordinal);
        Assert.DoesNotContain("ban", actions, StringComparison.Ordinal);
        Assert.Contains("!ack", actions, StringComparison.Ordinal);
        Assert.Contains("!resolve [note]", actions, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_report_offers_the_policy_ban_only()
    {
        var actions = Actions(new ReportTarget.UserTarget(Spammer), WithPolicyRoom);

        Assert.DoesNotContain("redact", actions, StringComparison.Ordinal);
        Assert.DoesNotContain("!kick", actions, StringComparison.Ordinal);
        Assert.DoesNotContain("!ban ", actions, StringComparison.Ordinal);
        Assert.Contains("!policy-ban [reason]", actions, StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_names_the_category_as_people_read_it() =>
        Assert.StartsWith("Report AAAAAAAA: Spam: Fraud/Phishing",
            CaseSummary.Render(About(new ReportTarget.RoomTarget(Room)), reason: null).Body, StringComparison.Ordinal);

    [Fact]
    public void A_reporter_who_reports_again_shows_as_a_count_so_each_edit_of_the_summary_says_something_new()
    {
        var target = new ReportTarget.Event(Room, EventId.Parse("$ev:example.org"), Spammer, "m.room.message");

        var once = CaseSummary.Render(About(target), "spam").Body;
        var again = CaseSummary.Render(About(target) with { ReportCount = 2 }, "spam").Body;

        Assert.Contains("Distinct reporters so far: 1\n", once, StringComparison.Ordinal);
        Assert.Contains("Distinct reporters so far: 1 (2 reports in all)", again, StringComparison.Ordinal);
    }
}
