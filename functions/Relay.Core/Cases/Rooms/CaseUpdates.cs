using Relay.Core.Queue;
using Relay.Core.Reports;

namespace Relay.Core.Cases.Rooms;

/// <summary>One write a handler wants to make to a case: the new case, its audit lines and its outbox.</summary>
public sealed record CaseEdit(Case Updated, IReadOnlyList<AuditEntry> Audit, IReadOnlyList<QueueMessage>? Outbox = null);

/// <summary>
/// Read-modify-write of a case under optimistic concurrency: on an ETag conflict (intake joined a
/// report meanwhile, another handler wrote) the case is read again and the change decided again.
/// </summary>
public static class CaseUpdates
{
    private const int MaxAttempts = 5;

    /// <summary>
    /// Applies <paramref name="decide"/> to the stored case until it sticks. <paramref name="decide"/> returns
    /// null when there is nothing (left) to write. Returns the stored case after the write, or null if it is gone.
    /// </summary>
    /// <param name="known">
    /// The case as this caller last read or wrote it, to decide on without reading it again: the write is checked
    /// against its ETag, so a stale one costs a conflict and a fresh read, never a lost update.
    /// </param>
    public static async Task<Case?> ApplyAsync(ICaseStore cases, ICaseWriteStore writes, CaseId id,
        Func<Case, CaseEdit?> decide, CancellationToken cancellationToken, Case? known = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = attempt == 1 && known?.Id == id && known.ETag is not null
                ? known
                : await cases.GetCaseAsync(id, cancellationToken);
            if (current is null)
            {
                return null;
            }
            if (decide(current) is not { } edit)
            {
                return current;
            }
            try
            {
                return await writes.UpdateCaseAsync(edit.Updated with { ETag = current.ETag }, edit.Audit, edit.Outbox ?? [], cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Someone else wrote first: decide again on what they wrote.
            }
        }
    }
}
