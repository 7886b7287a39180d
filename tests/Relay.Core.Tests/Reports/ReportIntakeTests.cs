using System.Text;
using Microsoft.Extensions.Time.Testing;
using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Core.Queue;
using Relay.Core.Reports;
using Relay.Core.Tests.Fakes;

namespace Relay.Core.Tests.Reports;

public sealed class ReportIntakeTests
{
    private static readonly UserId Alice = UserId.Parse("@alice.reporter:example.org");
    private static readonly UserId Bob = UserId.Parse("@bob.reporter:example.org");
    private static readonly UserId Carol = UserId.Parse("@carol.reporter:example.org");
    private static readonly RoomId Room = RoomId.Parse("!community:example.org");

    private static readonly ReportTarget SpamEvent = new ReportTarget.Event(
        Room, EventId.Parse("$spam:evil.example"), UserId.Parse("@spammer:evil.example"), "m.room.message");

    private static readonly ReportTarget OtherEvent = new ReportTarget.Event(
        Room, EventId.Parse("$other:evil.example"), UserId.Parse("@spammer:evil.example"), "m.room.message");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryReportStore _store = new();
    private readonly ReporterHasher _hasher = new(Encoding.UTF8.GetBytes("relay-core-tests-reporter-key"));

    private ReportIntake Intake(int perReporter = 100, int perRoom = 100) =>
        new(_store, _hasher, IntakeLimits.PerMinute(perReporter, perRoom, _time), new UlidGenerator(_time), _time, new CaseGrouping());

    private static ReportSubmission Submission(UserId reporter, ReportTarget? target = null, string? txnId = null,
        string? category = "m.spam", string? reason = "spam links") =>
        new(Reporter.Matrix(reporter), target ?? SpamEvent, category is null ? null : HarmCategory.Parse(category), reason,
            ReportSource.ClientEventReport, txnId);

    [Fact]
    public async Task First_report_opens_a_case_and_stores_the_report()
    {
        var outcome = Assert.IsType<IntakeOutcome.Filed>(await Intake().FileAsync(Submission(Alice)));

        Assert.True(outcome.OpenedCase);
        Assert.Equal(CaseState.Open, outcome.Case.State);
        Assert.Equal(1, outcome.Case.ReporterCount);
        Assert.Equal(1, outcome.Case.ReportCount);
        Assert.Equal(SpamEvent, outcome.Case.Target);
        Assert.Equal(HarmCategory.Parse("m.spam"), outcome.Case.Category);

        var report = outcome.Report;
        Assert.True(CaseId.TryParse(report.Id, out _), "report IDs are ULIDs");
        Assert.Equal(outcome.Case.Id, report.CaseId);
        Assert.Equal(SpamEvent, report.Target);
        Assert.Equal(_hasher.Hash(Alice), report.ReporterHash);
        Assert.Equal(Alice, report.Reporter);
        Assert.Equal("spam links", report.Reason);
        Assert.Equal(ReportSource.ClientEventReport, report.Source);
        Assert.Equal(_time.GetUtcNow(), report.ReceivedAt);
        Assert.Null(report.IdempotencyKey);

        var commit = Assert.Single(_store.Commits);
        Assert.True(commit.IsNewCase);
        Assert.Equal(report, Assert.Single(_store.Reports));
        Assert.Equal(outcome.Case.Id, Assert.Single(_store.Cases).Id);
    }

    [Fact]
    public async Task First_report_queues_one_report_received_message_that_parses_back()
    {
        var outcome = Assert.IsType<IntakeOutcome.Filed>(await Intake().FileAsync(Submission(Alice)));

        var message = Assert.Single(_store.Outbox);
        Assert.Equal(Topics.ReportReceived, message.Topic);
        Assert.Equal($"report.received:{outcome.Report.Id}", message.Id);
        Assert.Null(message.NotBefore);
        var body = ReportReceived.FromMessage(message);
        Assert.NotNull(body);
        Assert.Equal(outcome.Case.Id.Value, body.CaseId);
        Assert.Equal(outcome.Report.Id, body.ReportId);
        Assert.True(body.OpenedCase);
    }

    [Fact]
    public async Task First_report_audits_the_opening_and_the_filing()
    {
        var outcome = Assert.IsType<IntakeOutcome.Filed>(await Intake().FileAsync(Submission(Alice)));

        Assert.Collection(_store.Audit,
            opened =>
            {
                Assert.Equal("case.opened", opened.Action);
                Assert.Equal(AuditEntry.System, opened.Actor);
                Assert.Equal("target=event", opened.Detail);
            },
            filed =>
            {
                Assert.Equal("report.filed", filed.Action);
                Assert.Equal(AuditEntry.Reporter(_hasher.Hash(Alice)), filed.Actor);
                Assert.Contains($"report={outcome.Report.Id}", filed.Detail, StringComparison.Ordinal);
                Assert.Contains("category=m.spam", filed.Detail, StringComparison.Ordinal);
                Assert.Contains("distinct_reporters=1", filed.Detail, StringComparison.Ordinal);
            });
        Assert.All(_store.Audit, a =>
        {
            Assert.Equal(outcome.Case.Id, a.CaseId);
            Assert.Equal(_time.GetUtcNow(), a.At);
        });
    }

    private static ReportSubmission WebSubmission(string address, string? contact) =>
        new(Reporter.WebForm(address, contact), SpamEvent, HarmCategory.Parse("m.spam.fraud"), "phishing link",
            ReportSource.WebForm);

    [Fact]
    public async Task Web_report_stores_no_user_but_the_contact_and_audits_unauthenticated()
    {
        var outcome = Assert.IsType<IntakeOutcome.Filed>(
            await Intake().FileAsync(WebSubmission("192.0.2.1", "reporter@example.org")));

        Assert.Null(outcome.Report.Reporter);
        Assert.Equal("reporter@example.org", outcome.Report.ContactEmail);
        Assert.Equal(ReportSource.WebForm, outcome.Report.Source);
        Assert.Equal(_hasher.Hash(Reporter.WebForm("192.0.2.1", "reporter@example.org").HashKey), outcome.Report.ReporterHash);
        var filed = _store.Audit[^1];
        Assert.Contains("source=WebForm", filed.Detail, StringComparison.Ordinal);
        Assert.Contains("unauthenticated", filed.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("reporter@example.org", filed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Web_reporters_count_by_contact_else_by_address()
    {
        var intake = Intake();
        await intake.FileAsync(WebSubmission("192.0.2.1", "reporter@example.org"));
        await intake.FileAsync(WebSubmission("198.51.100.7", "REPORTER@example.org"));
        Assert.Equal(1, Assert.Single(_store.Cases).ReporterCount);

        await intake.FileAsync(WebSubmission("192.0.2.1", null));
        await intake.FileAsync(WebSubmission("192.0.2.1", null));
        Assert.Equal(2, Assert.Single(_store.Cases).ReporterCount);

        await intake.FileAsync(WebSubmission("192.0.2.9", null));
        Assert.Equal((3, 5), (Assert.Single(_store.Cases).ReporterCount, Assert.Single(_store.Cases).ReportCount));
    }

    [Fact]
    public async Task Matrix_report_audit_is_not_marked_unauthenticated()
    {
        await Intake().FileAsync(Submission(Alice));

        Assert.DoesNotContain("unauthenticated", _store.Audit[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Second_reporter_joins_the_open_case()
    {
        var intake = Intake();
        var first = Assert.IsType<IntakeOutcome.Filed>(await intake.FileAsync(Submission(Alice)));
        _time.Advance(TimeSpan.FromMinutes(3));

        var second = Assert.IsType<IntakeOutcome.Filed>(await intake.FileAsync(Submission(Bob)));

        Assert.False(second.OpenedCase);
        Assert.Equal(first.Case.Id, second.Case.Id);
        Assert.Equal(first.Case.Id, second.Report.CaseId);
        Assert.Equal(2, second.Case.ReporterCount);
        Assert.Equal(2, second.Case.ReportCount);
        Assert.Equal(_time.GetUtcNow(), second.Case.UpdatedAt);
        Assert.Equal(first.Case.OpenedAt, second.Case.OpenedAt);

        var stored = Assert.Single(_store.Cases);
        Assert.Equal(2, stored.ReporterCount);
        Assert.Equal(2, _store.Outbox.Count);
        var joined = ReportReceived.FromMessage(_store.Outbox[1]);
        Assert.NotNull(joined);
        Assert.False(joined.OpenedCase);
        Assert.Equal(first.Case.Id.Value, joined.CaseId);
        Assert.DoesNotContain(_store.Audit.Skip(2), a => a.Action == "case.opened");
        Assert.Contains("distinct_reporters=2", _store.Audit[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Same_reporter_twice_counts_once()
    {
        var intake = Intake();
        await intake.FileAsync(Submission(Alice));
        var again = Assert.IsType<IntakeOutcome.Filed>(await intake.FileAsync(Submission(Alice, reason: "still spam")));

        Assert.False(again.OpenedCase);
        Assert.Equal(1, again.Case.ReporterCount);
        Assert.Equal(2, again.Case.ReportCount);
        Assert.Equal(2, _store.Reports.Count);
        Assert.Single(_store.Cases);
    }

    [Fact]
    public async Task Reports_on_two_events_of_one_sender_join_one_case_and_count_the_reporter_once()
    {
        var intake = Intake();
        var first = Assert.IsType<IntakeOutcome.Filed>(await intake.FileAsync(Submission(Alice)));
        var second = Assert.IsType<IntakeOutcome.Filed>(await intake.FileAsync(Submission(Alice, OtherEvent)));

        Assert.False(second.OpenedCase);
        Assert.Equal(first.Case.Id, second.Case.Id);
        Assert.Equal(1, second.Case.ReporterCount);
        Assert.Equal(2, second.Case.ReportCount);
        Assert.Single(_store.Cases);
    }

    [Fact]
    public async Task Client_txn_id_replay_returns_the_first_report_and_commits_nothing()
    {
        var intake = Intake();
        var first = Assert.IsType<IntakeOutcome.Filed>(await intake.FileAsync(Submission(Alice, txnId: "m1234.1")));
        _time.Advance(TimeSpan.FromSeconds(5));

        var replay = Assert.IsType<IntakeOutcome.Replayed>(
            await intake.FileAsync(Submission(Alice, txnId: "m1234.1", reason: "different text")));

        Assert.Equal(first.Report.Id, replay.Report.Id);
        Assert.Equal(first.Report, replay.Report);
        Assert.Single(_store.Commits);
        Assert.Single(_store.Reports);
        Assert.Single(_store.Outbox);
        Assert.Equal(1, _store.GetCase(first.Case.Id).ReportCount);
    }

    [Fact]
    public async Task Same_txn_id_from_another_reporter_is_a_new_report()
    {
        var intake = Intake();
        await intake.FileAsync(Submission(Alice, txnId: "1"));
        var bob = Assert.IsType<IntakeOutcome.Filed>(await intake.FileAsync(Submission(Bob, txnId: "1")));

        Assert.Equal(2, bob.Case.ReporterCount);
        Assert.Equal(2, _store.Commits.Count);
    }

    [Fact]
    public async Task Idempotency_key_is_keyed_and_does_not_hold_the_txn_id_or_reporter_in_clear()
    {
        var outcome = Assert.IsType<IntakeOutcome.Filed>(
            await Intake().FileAsync(Submission(Alice, txnId: "txn-visible-marker")));

        var key = outcome.Report.IdempotencyKey;
        Assert.NotNull(key);
        Assert.DoesNotContain("txn-visible-marker", key, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", key, StringComparison.Ordinal);
        Assert.NotEqual(outcome.Report.ReporterHash, key);
    }

    [Fact]
    public async Task Rate_limited_report_reports_a_positive_wait_and_commits_nothing()
    {
        var intake = Intake(perReporter: 1);
        await intake.FileAsync(Submission(Alice));
        _time.Advance(TimeSpan.FromSeconds(20));

        var limited = Assert.IsType<IntakeOutcome.RateLimited>(await intake.FileAsync(Submission(Alice, OtherEvent)));

        Assert.True(limited.RetryAfter > TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(40), limited.RetryAfter);
        Assert.Single(_store.Commits);
        Assert.Equal(1, _store.CommitAttempts);
        Assert.Single(_store.Cases);
    }

    [Fact]
    public async Task Per_room_limit_stops_a_flood_from_many_reporters()
    {
        var intake = Intake(perReporter: 100, perRoom: 2);
        await intake.FileAsync(Submission(Alice));
        await intake.FileAsync(Submission(Bob));

        Assert.IsType<IntakeOutcome.RateLimited>(await intake.FileAsync(Submission(Carol)));
        Assert.Equal(2, _store.Commits.Count);
    }

    [Fact]
    public async Task Replay_is_answered_even_when_the_reporter_is_rate_limited()
    {
        var intake = Intake(perReporter: 1);
        var first = Assert.IsType<IntakeOutcome.Filed>(await intake.FileAsync(Submission(Alice, txnId: "t1")));

        var replay = Assert.IsType<IntakeOutcome.Replayed>(await intake.FileAsync(Submission(Alice, txnId: "t1")));

        Assert.Equal(first.Report.Id, replay.Report.Id);
        Assert.Single(_store.Commits);
    }

    [Fact]
    public async Task Conflict_on_the_first_commit_is_retried_against_the_fresh_case()
    {
        var intake = Intake();
        var opened = Assert.IsType<IntakeOutcome.Filed>(await intake.FileAsync(Submission(Alice)));
        // Carol's report lands between Bob's read of the case and his write: Bob's ETag is stale.
        _store.BeforeNextCommit = async () => await Intake().FileAsync(Submission(Carol));

        var bob = Assert.IsType<IntakeOutcome.Filed>(await intake.FileAsync(Submission(Bob)));

        Assert.False(bob.OpenedCase);
        Assert.Equal(opened.Case.Id, bob.Case.Id);
        Assert.Equal(3, bob.Case.ReporterCount);
        Assert.Equal(3, bob.Case.ReportCount);
        Assert.Equal(4, _store.CommitAttempts);
        Assert.Equal(3, _store.Commits.Count);
        Assert.Equal(3, _store.Reports.Count);
        Assert.Equal(3, _store.GetCase(opened.Case.Id).ReporterCount);
    }

    [Fact]
    public async Task Reports_joining_one_case_in_one_process_take_turns_instead_of_racing()
    {
        var intake = Intake();
        Task<IntakeOutcome>? bob = null;
        // Bob files through the same intake while Alice's commit is under way: he waits for her turn to end.
        _store.BeforeNextCommit = () =>
        {
            bob = intake.FileAsync(Submission(Bob));
            return Task.CompletedTask;
        };

        var alice = Assert.IsType<IntakeOutcome.Filed>(await intake.FileAsync(Submission(Alice)));
        var joined = Assert.IsType<IntakeOutcome.Filed>(await bob!);

        Assert.True(alice.OpenedCase);
        Assert.False(joined.OpenedCase);
        Assert.Equal(alice.Case.Id, joined.Case.Id);
        Assert.Equal(2, _store.CommitAttempts);
    }

    [Fact]
    public async Task Two_first_reports_racing_for_one_target_end_in_one_case()
    {
        var intake = Intake();
        // Carol opens the case after Alice looked for an open one and found none.
        _store.BeforeNextCommit = async () => await Intake().FileAsync(Submission(Carol));

        var alice = Assert.IsType<IntakeOutcome.Filed>(await intake.FileAsync(Submission(Alice)));

        Assert.False(alice.OpenedCase);
        var only = Assert.Single(_store.Cases);
        Assert.Equal(only.Id, alice.Case.Id);
        Assert.Equal(2, only.ReporterCount);
        Assert.Single(_store.Outbox, m => ReportReceived.FromMessage(m)!.OpenedCase);
        Assert.Single(_store.Audit, a => a.Action == "case.opened");
    }

    [Fact]
    public async Task Conflict_because_the_same_txn_id_committed_meanwhile_is_a_replay()
    {
        var intake = Intake();
        var raced = default(IntakeOutcome);
        _store.BeforeNextCommit = async () => raced = await Intake().FileAsync(Submission(Alice, txnId: "dup"));

        var outcome = Assert.IsType<IntakeOutcome.Replayed>(await intake.FileAsync(Submission(Alice, txnId: "dup")));

        Assert.Equal(Assert.IsType<IntakeOutcome.Filed>(raced).Report.Id, outcome.Report.Id);
        Assert.Single(_store.Commits);
    }

    [Fact]
    public async Task Persistent_conflict_surfaces_and_stores_nothing()
    {
        _store.AlwaysConflict = true;

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Intake().FileAsync(Submission(Alice)));

        Assert.True(_store.CommitAttempts > 1, "a conflict is retried before giving up");
        Assert.Empty(_store.Commits);
        Assert.Empty(_store.Reports);
        Assert.Empty(_store.Outbox);
    }

    [Fact]
    public async Task Audit_and_queue_never_hold_the_reporter_or_the_reason_in_clear()
    {
        const string reason = "Secret-Reason: he lives at 12 Example Street";
        var intake = Intake();
        await intake.FileAsync(Submission(Alice, reason: reason, txnId: "t-1"));
        await intake.FileAsync(Submission(Bob, reason: reason));
        await intake.FileAsync(Submission(Alice, reason: reason));

        Assert.Equal(4, _store.Audit.Count);
        var written = _store.Audit.SelectMany(a => new[] { a.Actor, a.Action, a.Detail ?? "" })
            .Concat(_store.Outbox.SelectMany(m => new[] { m.Id, m.Body }))
            .ToList();
        foreach (var secret in new[] { Alice.Value, Alice.Localpart, Bob.Value, Bob.Localpart, reason, "Secret-Reason", "Example Street" })
        {
            Assert.DoesNotContain(written, text => text.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
        Assert.All(_store.Audit.Where(a => a.Action == "report.filed"),
            a => Assert.Matches("^reporter:[0-9a-f]{8}$", a.Actor));
    }
}
