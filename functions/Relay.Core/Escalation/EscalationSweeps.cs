using Relay.Core.Queue;
using Relay.Core.Sweep;

namespace Relay.Core.Escalation;

/// <summary>
/// Re-queues the deadline of every overdue case, so a lost or dead-lettered <c>case.due</c> cannot stall a case. The
/// message id is the deadline's own, so a deadline still queued is not duplicated, and the handler re-checks the case.
/// </summary>
public sealed class OverdueCaseSweep(IEscalationStore store, ICaseQueue queue, TimeProvider time) : ISweepPart
{
    public const int BatchSize = 500;

    public string Name => "overdue-cases";

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var overdue = await store.ListOverdueAsync(time.GetUtcNow(), BatchSize, cancellationToken);
        foreach (var c in overdue)
        {
            await queue.EnqueueAsync(CaseDue.ToMessage(c.Id, c.Tier, null), cancellationToken);
        }
        return overdue.Count;
    }
}

/// <summary>Deletes preserved evidence whose retention ended.</summary>
public sealed class EvidenceRetentionSweep(IEvidenceStore evidence, TimeProvider time) : ISweepPart
{
    public string Name => "evidence-retention";

    public Task<int> SweepAsync(CancellationToken cancellationToken) => evidence.PurgeExpiredAsync(time.GetUtcNow(), cancellationToken);
}
