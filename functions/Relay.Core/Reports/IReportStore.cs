using Relay.Core.Cases;
using Relay.Core.Queue;

namespace Relay.Core.Reports;

/// <summary>The write side of intake. Adapters: SQLite (embedded), Table Storage (Azure).</summary>
public interface IReportStore
{
    /// <summary>The open case for a dedupe key, if any, and whether <paramref name="reporterHash"/> already reported into it.</summary>
    Task<OpenCaseSnapshot?> FindOpenCaseAsync(string dedupeKey, string reporterHash, CancellationToken cancellationToken = default);

    Task<Report?> FindReportByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the report, the new or changed case, its audit lines and outbox messages, all or nothing.
    /// Throws <see cref="ConcurrencyConflictException"/> when the case changed since it was read
    /// (ETag mismatch), another open case for the target appeared, or the idempotency key was taken.
    /// </summary>
    Task CommitAsync(ReportCommit commit, CancellationToken cancellationToken = default);
}

/// <summary>
/// Everything one report changes. <see cref="Outbox"/> messages are delivered at least once after
/// the commit, so "stored" and "queued" cannot disagree.
/// </summary>
public sealed record ReportCommit(
    Report Report,
    Case Case,
    bool IsNewCase,
    IReadOnlyList<AuditEntry> Audit,
    IReadOnlyList<QueueMessage> Outbox);

public sealed class ConcurrencyConflictException(string message) : Exception(message);
