using Relay.Core.Cases;

namespace Relay.Core.Retention;

/// <summary>
/// Deleting cases: closed ones when their retention ends (<see cref="ClosedCaseRetentionSweep"/>), any one on an erasure
/// request (<c>relay cases purge</c>). Adapters: SQLite, Table Storage; both pinned by one contract suite
/// (CaseLifecycleContract). Every method may be repeated after a crash half-way and finishes the job.
/// </summary>
public interface ICaseRetentionStore
{
    /// <summary>
    /// Closed cases (Resolved, Dismissed) whose last change, <see cref="Case.UpdatedAt"/>, is before <paramref name="cutoff"/>,
    /// oldest first. A closed case changes no more, so its last change is when it was closed (or a later note about it).
    /// </summary>
    Task<IReadOnlyList<CaseId>> ListClosedBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a case that is still closed and last changed before <paramref name="cutoff"/>, with its reports, reporter set,
    /// audit lines, followers and index rows. Evidence stays: it keeps its own retention. Null when there was nothing to delete.
    /// </summary>
    Task<CaseDeletion?> DeleteClosedCaseAsync(CaseId id, DateTimeOffset cutoff, CancellationToken cancellationToken = default);

    /// <summary>
    /// An erasure: stores <paramref name="tombstone"/> (its counts filled in) before anything is deleted, then deletes the case,
    /// open or closed, with everything <see cref="DeleteClosedCaseAsync"/> deletes and its evidence too. Returns the stored
    /// tombstone (an earlier one when the case was already purged), or null when there is neither case nor tombstone.
    /// </summary>
    Task<PurgeRecord?> PurgeCaseAsync(PurgeRecord tombstone, CancellationToken cancellationToken = default);

    /// <summary>The tombstone of a purged case, if it was purged.</summary>
    Task<PurgeRecord?> FindPurgeAsync(CaseId id, CancellationToken cancellationToken = default);
}

/// <summary>What one deletion removed.</summary>
public sealed record CaseDeletion(CaseId CaseId, int Reports, int AuditLines, int EvidenceItems);

/// <summary>
/// The record that outlives a purged case: which case, when, who ran the purge (an operator, never a reporter), and how much
/// was deleted. Deliberately nothing else — no target, no reason, no reporter — since it is kept after the erasure.
/// </summary>
public sealed record PurgeRecord(CaseId CaseId, DateTimeOffset PurgedAt, string Actor, int Reports = 0, int AuditLines = 0, int EvidenceItems = 0);
