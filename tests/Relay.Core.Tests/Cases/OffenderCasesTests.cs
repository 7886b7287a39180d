using System.Text;
using Microsoft.Extensions.Time.Testing;
using Relay.Core.Cases;
using Relay.Core.Cases.Rooms;
using Relay.Core.Identifiers;
using Relay.Core.Reports;
using Relay.Core.Tests.Fakes;

namespace Relay.Core.Tests.Cases;

/// <summary>Which reports join which case (by offender, by scope) and what a self-report counts for.</summary>
public sealed class OffenderCasesTests
{
    private static readonly UserId Alice = UserId.Parse("@alice:example.org");
    private static readonly UserId Bob = UserId.Parse("@bob:example.org");
    private static readonly UserId Spammer = UserId.Parse("@spammer:evil.example");
    private static readonly UserId Other = UserId.Parse("@other:evil.example");
    private static readonly RoomId Lobby = RoomId.Parse("!lobby:example.org");
    private static readonly RoomId Garden = RoomId.Parse("!garden:example.org");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryReportStore _store = new();

    private static ReportTarget Target(string spec) => spec.Split(' ') switch
    {
        ["event", var room, var ev, var sender] => new ReportTarget.Event(RoomOf(room), EventId.Parse($"${ev}:example.org"), UserOf(sender), "m.room.message"),
        ["room", var room] => new ReportTarget.RoomTarget(RoomOf(room)),
        ["invite", var room, var inviter] => new ReportTarget.RoomTarget(RoomOf(room), UserOf(inviter)),
        ["user", var user] => new ReportTarget.UserTarget(UserOf(user)),
        _ => throw new ArgumentException(spec),
    };

    private static RoomId RoomOf(string name) => name == "lobby" ? Lobby : Garden;

    private static UserId UserOf(string name) => name == "spammer" ? Spammer : Other;

    [Theory]
    // scope, first report's target, second report's target, do they share a case?
    [InlineData(OffenderScope.Room, "event lobby e1 spammer", "event lobby e2 spammer", true)]
    [InlineData(OffenderScope.Room, "event lobby e1 spammer", "event garden e2 spammer", false)]
    [InlineData(OffenderScope.Room, "event lobby e1 spammer", "event lobby e2 other", false)]
    [InlineData(OffenderScope.Room, "event lobby e1 spammer", "user spammer", false)]
    [InlineData(OffenderScope.Room, "event lobby e1 spammer", "room lobby", false)]
    [InlineData(OffenderScope.Community, "event lobby e1 spammer", "event garden e2 spammer", true)]
    [InlineData(OffenderScope.Community, "event lobby e1 spammer", "user spammer", true)]
    [InlineData(OffenderScope.Community, "user spammer", "event garden e2 spammer", true)]
    [InlineData(OffenderScope.Community, "event lobby e1 spammer", "event lobby e2 other", false)]
    [InlineData(OffenderScope.Community, "event lobby e1 spammer", "room lobby", false)]
    [InlineData(OffenderScope.Event, "event lobby e1 spammer", "event lobby e2 spammer", false)]
    [InlineData(OffenderScope.Event, "event lobby e1 spammer", "event lobby e1 spammer", true)]
    // Invite spam groups by inviter whatever the scope, across rooms, and never with a room's own report.
    [InlineData(OffenderScope.Event, "invite lobby spammer", "invite garden spammer", true)]
    [InlineData(OffenderScope.Room, "invite lobby spammer", "invite garden spammer", true)]
    [InlineData(OffenderScope.Community, "invite lobby spammer", "invite garden spammer", true)]
    [InlineData(OffenderScope.Room, "invite lobby spammer", "invite lobby other", false)]
    [InlineData(OffenderScope.Room, "invite lobby spammer", "room lobby", false)]
    [InlineData(OffenderScope.Room, "invite lobby spammer", "event lobby e1 spammer", false)]
    public async Task Second_report_joins_the_first_case_when_the_scope_groups_their_targets(
        OffenderScope scope, string first, string second, bool shared)
    {
        var intake = Intake(scope);
        var one = Assert.IsType<IntakeOutcome.Filed>(await intake.FileAsync(Submission(Alice, Target(first))));
        var two = Assert.IsType<IntakeOutcome.Filed>(await intake.FileAsync(Submission(Bob, Target(second))));

        Assert.Equal(shared, one.Case.Id == two.Case.Id);
        Assert.Equal(shared ? 1 : 2, _store.Cases.Count);
        if (shared)
        {
            Assert.Equal(2, two.Case.ReporterCount);
            Assert.Equal(Target(first), two.Case.Target);
        }
    }

    [Fact]
    public async Task Self_report_is_recorded_but_not_counted_as_a_reporter()
    {
        var intake = Intake(OffenderScope.Room);
        var self = Assert.IsType<IntakeOutcome.Filed>(await intake.FileAsync(Submission(Spammer, Target("event lobby e1 spammer"))));
        Assert.Equal(0, self.Case.ReporterCount);
        Assert.Equal(1, self.Case.ReportCount);
        Assert.True(self.Report.IsSelfReport);
        Assert.Contains(_store.Audit, a => a.Action == "report.filed" && a.Detail!.Contains("self_report"));

        var alice = Assert.IsType<IntakeOutcome.Filed>(await intake.FileAsync(Submission(Alice, Target("event lobby e2 spammer"))));
        var again = Assert.IsType<IntakeOutcome.Filed>(await intake.FileAsync(Submission(Spammer, Target("event lobby e2 spammer"))));

        Assert.Equal(self.Case.Id, again.Case.Id);
        Assert.Equal(1, alice.Case.ReporterCount);
        Assert.Equal(1, again.Case.ReporterCount);
        Assert.Equal(3, again.Case.ReportCount);
    }

    [Fact]
    public void Outcome_notices_go_to_reporters_but_not_to_the_reported_user_reporting_themselves()
    {
        var id = CaseId.Parse("01J2AAAAAAAAAAAAAAAAAAAAAA");
        var target = Target("event lobby e1 spammer");
        Report By(UserId user, string hash) => new("r" + hash, id, target, hash, user, null, null, ReportSource.ClientEventReport, _time.GetUtcNow(), null);

        var notices = ReporterNotice.For(id, [By(Alice, "aaaa"), By(Spammer, "ssss"), By(Alice, "aaaa")]);

        var notice = Assert.Single(notices);
        Assert.Equal("aaaa", ReporterNotice.FromMessage(notice)!.ReporterHash);
    }

    [Fact]
    public void Reported_events_list_each_event_once_with_its_distinct_reporters()
    {
        var id = CaseId.Parse("01J2AAAAAAAAAAAAAAAAAAAAAA");
        var t0 = _time.GetUtcNow();
        Report R(string ev, UserId user, string hash, int minute) => new("r" + ev + hash, id, Target($"event lobby {ev} spammer"), hash, user, null, null,
            ReportSource.ClientEventReport, t0.AddMinutes(minute), null);

        var events = ReportedEvents.Of([R("e2", Alice, "a", 1), R("e1", Alice, "a", 2), R("e2", Bob, "b", 3), R("e2", Alice, "a", 4), R("e2", Spammer, "s", 5)]);

        Assert.Equal(1, events.SelfReports);
        Assert.Collection(events.Events,
            e => Assert.Equal(("$e2:example.org", t0.AddMinutes(1), 2), (e.EventId.Value, e.FirstReportedAt, e.Reporters)),
            e => Assert.Equal(("$e1:example.org", t0.AddMinutes(2), 1), (e.EventId.Value, e.FirstReportedAt, e.Reporters)));
    }

    [Theory]
    [InlineData(3, 3)]
    [InlineData(60, CaseSummary.MaxEventsListed)]
    public void Summary_of_an_offender_case_lists_its_events_and_counts_the_rest(int count, int listed)
    {
        var id = CaseId.Parse("01J2AAAAAAAAAAAAAAAAAAAAAA");
        var reports = Enumerable.Range(0, count).Select(i => new Report($"r{i}", id, Target($"event lobby e{i} spammer"), "a", Alice, null,
            i == 0 ? "raid" : null, ReportSource.ClientEventReport, _time.GetUtcNow().AddSeconds(i), null)).ToList();
        var c = new Case(id, reports[0].Target, CaseState.Open, 1, null, 1, count, _time.GetUtcNow(), _time.GetUtcNow());

        var text = CaseSummary.Render(c, reports).Body;

        Assert.Contains($"Reported events: {count}", text);
        Assert.Contains("Sender: @spammer:evil.example", text);
        Assert.Contains("Reason: raid", text);
        Assert.Equal(listed, text.Split('\n').Count(l => l.StartsWith("- ", StringComparison.Ordinal)));
        Assert.Equal(count > listed, text.Contains($"and {count - listed} more"));
    }

    [Fact]
    public async Task Fifty_members_reporting_fifty_invites_from_one_spammer_make_one_case_of_the_community()
    {
        var intake = Intake(OffenderScope.Room);
        IntakeOutcome.Filed? last = null;
        for (var i = 0; i < 50; i++)
        {
            var room = RoomId.Parse($"!spam{i}:evil.example");
            last = Assert.IsType<IntakeOutcome.Filed>(await intake.FileAsync(
                Submission(UserId.Parse($"@member{i}:example.org"), new ReportTarget.RoomTarget(room, Spammer))));
        }

        var only = Assert.Single(_store.Cases);
        Assert.Equal(50, last!.Case.ReporterCount);
        Assert.Equal(CaseGrouping.InviterKey(Spammer), last.Case.DedupeKey);
        Assert.Null(last.Case.Target.Room);
        Assert.Equal(Spammer, last.Case.Target.ReportedUser);
        Assert.Equal(last.Case.Id, only.Id);
    }

    [Fact]
    public void Summary_of_invite_spam_names_the_inviter_and_server_and_lists_the_rooms_as_ids()
    {
        var id = CaseId.Parse("01J2AAAAAAAAAAAAAAAAAAAAAA");
        var reports = Enumerable.Range(0, 3).Select(i => new Report($"r{i}", id, new ReportTarget.RoomTarget(RoomId.Parse($"!spam{i % 2}:evil.example"), Spammer),
            $"h{i}", Alice, null, null, ReportSource.ClientRoomReport, _time.GetUtcNow().AddSeconds(i), null)).ToList();
        var c = new Case(id, reports[0].Target, CaseState.Open, 1, null, 3, 3, _time.GetUtcNow(), _time.GetUtcNow(), GroupKey: CaseGrouping.InviterKey(Spammer));

        var summary = CaseSummary.Render(c, reports, settings: new CaseRoomSettings([], PolicyRoom: RoomId.Parse("!policies:example.org")));

        Assert.Contains("Invite spam from @spammer:evil.example (server evil.example)", summary.Body);
        Assert.Contains("Rooms invited to: 2", summary.Body);
        Assert.Contains("- !spam0:evil.example", summary.Body);
        Assert.Contains("- !spam1:evil.example", summary.Body);
        Assert.Contains("Distinct reporters so far: 3", summary.Body);
        Assert.DoesNotContain("matrix.to", summary.HtmlBody);
        Assert.DoesNotContain("@alice", summary.Body);
        var actions = summary.Body.Split('\n').Single(l => l.StartsWith("Actions: ", StringComparison.Ordinal));
        Assert.Contains("!policy-ban [reason]", actions);
        Assert.DoesNotContain("!kick", actions);
        Assert.DoesNotContain("!ban ", actions);
        Assert.DoesNotContain("!clear", actions);
        Assert.DoesNotContain("redact", actions);
        Assert.Contains("Act on the inviter: ban through the policy list, or escalate", summary.Body);
    }

    [Fact]
    public void Summary_of_invite_spam_without_a_policy_room_suggests_only_what_the_case_room_offers()
    {
        var id = CaseId.Parse("01J2AAAAAAAAAAAAAAAAAAAAAA");
        var target = new ReportTarget.RoomTarget(RoomId.Parse("!spam:evil.example"), Spammer);
        var report = new Report("r0", id, target, "h0", Alice, null, null, ReportSource.ClientRoomReport, _time.GetUtcNow(), null);
        var c = new Case(id, target, CaseState.Open, 1, null, 1, 1, _time.GetUtcNow(), _time.GetUtcNow(), GroupKey: CaseGrouping.InviterKey(Spammer));

        var summary = CaseSummary.Render(c, [report], settings: new CaseRoomSettings([]));

        Assert.DoesNotContain("policy-ban", summary.Body.Split('\n').Single(l => l.StartsWith("Actions: ", StringComparison.Ordinal)));
        Assert.DoesNotContain("ban through the policy list", summary.Body);
        Assert.Contains("Act on the inviter: escalate to their server's admins (set Relay__Moderation__PolicyRoom to ban them", summary.Body);
    }

    private ReportIntake Intake(OffenderScope scope) =>
        new(_store, new ReporterHasher(Encoding.UTF8.GetBytes("relay-core-tests-reporter-key")),
            IntakeLimits.PerMinute(100, 100, _time), new UlidGenerator(_time), _time, new CaseGrouping(scope));

    private static ReportSubmission Submission(UserId reporter, ReportTarget target) =>
        new(Reporter.Matrix(reporter), target, HarmCategory.Parse("m.spam"), "spam", ReportSource.ClientEventReport);
}
