using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Core.Queue;

namespace Relay.Tests.Cases;

/// <summary>
/// The real store, except that once, right after the Nth successful write of a kind, it throws as if the
/// process died there: the write is kept, the caller never hears of it.
/// </summary>
public sealed class CrashingCaseWriteStore(ICaseWriteStore inner) : ICaseWriteStore
{
    private int _updates;
    private int _audits;

    public int? CrashAfterUpdate { get; set; }

    public int? CrashAfterAudit { get; set; }

    public async Task<Case> UpdateCaseAsync(Case updated, IReadOnlyList<AuditEntry> audit, IReadOnlyList<QueueMessage> outbox,
        CancellationToken cancellationToken = default)
    {
        var result = await inner.UpdateCaseAsync(updated, audit, outbox, cancellationToken);
        if (++_updates == CrashAfterUpdate)
        {
            CrashAfterUpdate = null;
            throw new InvalidOperationException($"Injected crash after update {_updates}");
        }
        return result;
    }

    public async Task AppendAuditAsync(IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken = default)
    {
        await inner.AppendAuditAsync(audit, cancellationToken);
        if (++_audits == CrashAfterAudit)
        {
            CrashAfterAudit = null;
            throw new InvalidOperationException($"Injected crash after audit {_audits}");
        }
    }

    public Task<Case?> FindCaseByRoomAsync(RoomId caseRoom, CancellationToken cancellationToken = default) =>
        inner.FindCaseByRoomAsync(caseRoom, cancellationToken);

    public Task<IReadOnlyList<Case>> ListOpenCasesWithRoomsAsync(RoomId reportedRoom, CancellationToken cancellationToken = default) =>
        inner.ListOpenCasesWithRoomsAsync(reportedRoom, cancellationToken);

    public Task AddFollowerAsync(CaseId id, UserId reporter, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        inner.AddFollowerAsync(id, reporter, at, cancellationToken);

    public Task<IReadOnlyList<UserId>> GetFollowersAsync(CaseId id, CancellationToken cancellationToken = default) =>
        inner.GetFollowersAsync(id, cancellationToken);
}
