using Relay.Core;
using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Core.Queue;
using Relay.Core.Reports;

namespace Relay.Tests.Contracts;

/// <summary>
/// Builds commits the way ReportIntake does (through <see cref="CaseJoining"/>), so the contract tests the
/// store's part of intake without the rate limits and hashing around it.
/// </summary>
public sealed class ReportSamples(TimeProvider time)
{
    public static readonly RoomId Room = RoomId.Parse("!abuse:example.org");
    public static readonly UserId Offender = UserId.Parse("@spammer:evil.example");

    private readonly UlidGenerator _ids = new(time);

    public string NewId() => _ids.Next();

    public ReportTarget.Event EventTarget() =>
        new(Room, EventId.Parse("$" + _ids.Next() + ":example.org"), Offender, "m.room.message");

    /// <summary>The key intake groups <see cref="Offender"/>'s events in <see cref="Room"/> by.</summary>
    public static string OffenderKey => new CaseGrouping(OffenderScope.Room).KeyFor(
        new ReportTarget.Event(Room, EventId.Parse("$any:example.org"), Offender, "m.room.message"));

    public ReportCommit Commit(OpenCaseSnapshot? open, ReportTarget target, string reporterHash,
        HarmCategory? category = null, string? idempotencyKey = null, UserId? reporter = null, string? reason = "spam",
        Func<Case, Case>? adjust = null, IReadOnlyList<QueueMessage>? extraOutbox = null, string? key = null)
    {
        var now = time.GetUtcNow();
        var change = CaseJoining.Join(open, target, category, CaseId.Parse(_ids.Next()), now, key ?? target.DedupeKey,
            selfReport: reporter is not null && reporter == target.ReportedUser);
        var @case = adjust is null ? change.Case : adjust(change.Case);
        var report = new Report(_ids.Next(), @case.Id, target, reporterHash, reporter, category, reason,
            ReportSource.ClientEventReport, now, idempotencyKey);
        var audit = new List<AuditEntry>();
        if (change.IsNew)
        {
            audit.Add(new AuditEntry(@case.Id, now, AuditEntry.System, "case.opened", $"target={target.Kind}"));
        }
        audit.Add(new AuditEntry(@case.Id, now, AuditEntry.Reporter(reporterHash), "report.filed", $"report={report.Id}"));
        var outbox = new List<QueueMessage>
        {
            ReportReceived.ToMessage(new ReportReceived(@case.Id.Value, report.Id, change.IsNew)),
        };
        outbox.AddRange(extraOutbox ?? []);
        return new ReportCommit(report, @case, change.IsNew, audit, outbox);
    }

    /// <summary>Hashes stand in for ReporterHasher output: 32 hex characters.</summary>
    public static string Hash(char c) => new(c, 32);
}
