using Relay.Core.Cases;
using Relay.Core.Reports;

namespace Relay.Tests.Embedded;

/// <summary>
/// Holds the first <c>participants</c> case lookups until all of them have read, so every writer
/// starts from the same snapshot and the store, not the scheduler, has to settle the race.
/// </summary>
internal sealed class LockstepFirstReads(IReportStore inner, int participants) : IReportStore
{
    private readonly TaskCompletionSource _allRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _reads;
    private int _conflicts;

    public int Conflicts => Volatile.Read(ref _conflicts);

    public async Task<OpenCaseSnapshot?> FindOpenCaseAsync(string dedupeKey, string reporterHash,
        CancellationToken cancellationToken = default)
    {
        var snapshot = await inner.FindOpenCaseAsync(dedupeKey, reporterHash, cancellationToken);
        var read = Interlocked.Increment(ref _reads);
        if (read == participants)
        {
            _allRead.SetResult();
        }
        if (read <= participants)
        {
            await _allRead.Task.WaitAsync(cancellationToken);
        }
        return snapshot;
    }

    public Task<Report?> FindReportByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default) =>
        inner.FindReportByIdempotencyKeyAsync(idempotencyKey, cancellationToken);

    public async Task CommitAsync(ReportCommit commit, CancellationToken cancellationToken = default)
    {
        try
        {
            await inner.CommitAsync(commit, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            Interlocked.Increment(ref _conflicts);
            throw;
        }
    }
}
