using Relay.Core.Identifiers;
using Relay.Core.Queue;

namespace Relay.Core.Cases;

/// <summary>
/// The write side of cases after intake: case rooms, moderator actions, follow-ups. Adapters: SQLite
/// (embedded), Table Storage (Azure); both pinned by one contract suite (CaseStoreWriteContract).
/// </summary>
public interface ICaseWriteStore
{
    /// <summary>
    /// Writes every mutable field of <paramref name="updated"/> (state, tier, category, counts, case room,
    /// summary) if its <see cref="Case.ETag"/> is still the stored one, and appends <paramref name="audit"/>
    /// and queues <paramref name="outbox"/> in the same all-or-nothing write. A case that leaves the open
    /// states stops taking reports (a later report opens a new case). Returns the case with its new ETag.
    /// Throws <see cref="Reports.ConcurrencyConflictException"/> when the ETag no longer matches, the case is
    /// gone, or the case room is already another case's.
    /// </summary>
    Task<Case> UpdateCaseAsync(Case updated, IReadOnlyList<AuditEntry> audit, IReadOnlyList<QueueMessage> outbox,
        CancellationToken cancellationToken = default);

    /// <summary>Appends audit lines that change nothing else (refused or failed actions).</summary>
    Task AppendAuditAsync(IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken = default);

    /// <summary>The case whose case room is <paramref name="caseRoom"/>, if any.</summary>
    Task<Case?> FindCaseByRoomAsync(RoomId caseRoom, CancellationToken cancellationToken = default);

    /// <summary>Open cases about <paramref name="reportedRoom"/> (its events, or the room itself) that have a case room.</summary>
    Task<IReadOnlyList<Case>> ListOpenCasesWithRoomsAsync(RoomId reportedRoom, CancellationToken cancellationToken = default);

    /// <summary>Records that <paramref name="reporter"/> opted in to follow the case in its room; idempotent.</summary>
    Task AddFollowerAsync(CaseId id, UserId reporter, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Reporters who opted in, in opt-in order.</summary>
    Task<IReadOnlyList<UserId>> GetFollowersAsync(CaseId id, CancellationToken cancellationToken = default);
}
