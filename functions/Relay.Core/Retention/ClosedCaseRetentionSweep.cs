using Relay.Core.Sweep;

namespace Relay.Core.Retention;

/// <summary>
/// Deletes closed cases whose retention ended, in batches so one sweep stays short; what is left waits for the next sweep.
/// Open cases are never touched, however old. The store re-checks each case, so a listing gone stale deletes nothing.
/// </summary>
public sealed class ClosedCaseRetentionSweep(ICaseRetentionStore store, RetentionSettings settings, TimeProvider time) : ISweepPart
{
    public const int BatchSize = 100;

    public string Name => "closed-case-retention";

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - settings.ClosedCases;
        var deleted = 0;
        foreach (var id in await store.ListClosedBeforeAsync(cutoff, BatchSize, cancellationToken))
        {
            if (await store.DeleteClosedCaseAsync(id, cutoff, cancellationToken) is not null)
            {
                deleted++;
            }
        }
        return deleted;
    }
}
