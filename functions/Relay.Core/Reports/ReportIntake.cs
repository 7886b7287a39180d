using Relay.Core.Cases;
using Relay.Core.Queue;
using Relay.Core.Telemetry;

namespace Relay.Core.Reports;

/// <summary>
/// Files a validated report: idempotency, rate limits, then the case it joins or opens, stored
/// together with its audit lines and the <c>report.received</c> message in one commit.
/// </summary>
public sealed class ReportIntake(
    IReportStore store,
    ReporterHasher hasher,
    IntakeLimits limits,
    UlidGenerator ids,
    TimeProvider time,
    CaseGrouping grouping)
{
    private const int MaxAttempts = 5;
    private readonly CaseKeyTurns _turns = new();

    public async Task<IntakeOutcome> FileAsync(ReportSubmission submission, CancellationToken cancellationToken = default)
    {
        var reporterHash = hasher.Hash(submission.Reporter.HashKey);
        var idempotencyKey = submission.ClientTxnId is null
            ? null
            : hasher.Hash($"{submission.Reporter.HashKey}\n{submission.ClientTxnId}");
        if (idempotencyKey is not null
            && await store.FindReportByIdempotencyKeyAsync(idempotencyKey, cancellationToken) is { } earlier)
        {
            return new IntakeOutcome.Replayed(earlier);
        }
        if (limits.TryAcquire(reporterHash, submission.Target.Room) is { } wait)
        {
            return new IntakeOutcome.RateLimited(wait);
        }
        var key = grouping.KeyFor(submission.Target);
        using var turn = await _turns.TakeAsync(key, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await CommitAsync(submission, key, reporterHash, idempotencyKey, cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                if (idempotencyKey is not null
                    && await store.FindReportByIdempotencyKeyAsync(idempotencyKey, cancellationToken) is { } raced)
                {
                    return new IntakeOutcome.Replayed(raced);
                }
            }
        }
    }

    private async Task<IntakeOutcome> CommitAsync(ReportSubmission submission, string key, string reporterHash,
        string? idempotencyKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var target = submission.Target;
        var open = await store.FindOpenCaseAsync(key, reporterHash, cancellationToken);
        var change = CaseJoining.Join(open, target, submission.Category, CaseId.Parse(ids.Next()), now, key,
            selfReport: IsSelfReport(submission));
        var report = new Report(ids.Next(), change.Case.Id, target, reporterHash, submission.Reporter.UserId,
            submission.Category, submission.Reason, submission.Source, now, idempotencyKey, submission.Reporter.ContactEmail);
        var commit = new ReportCommit(report, change.Case, change.IsNew,
            AuditFor(report, change, now),
            [ReportReceived.ToMessage(new ReportReceived(change.Case.Id.Value, report.Id, change.IsNew))]);
        await store.CommitAsync(commit, cancellationToken);
        RelayMetrics.ReportReceived(submission.Source.ToString(), target.Kind.ToString().ToLowerInvariant(), change.IsNew);
        return new IntakeOutcome.Filed(report, change.Case, change.IsNew);
    }

    private static List<AuditEntry> AuditFor(Report report, CaseChange change, DateTimeOffset now)
    {
        var actor = AuditEntry.Reporter(report.ReporterHash);
        var audit = new List<AuditEntry>(2);
        if (change.IsNew)
        {
            audit.Add(new AuditEntry(change.Case.Id, now, AuditEntry.System, "case.opened",
                $"target={report.Target.Kind.ToString().ToLowerInvariant()}"));
        }
        var category = report.Category?.Id ?? "unspecified";
        audit.Add(new AuditEntry(change.Case.Id, now, actor, "report.filed",
            $"report={report.Id} source={report.Source} category={category} distinct_reporters={change.Case.ReporterCount}"
            + (report.Reporter is null ? " unauthenticated" : "")
            + (report.IsSelfReport ? " self_report" : "")));
        return audit;
    }

    private static bool IsSelfReport(ReportSubmission submission) =>
        submission.Reporter.UserId is { } reporter && reporter == submission.Target.ReportedUser;
}
