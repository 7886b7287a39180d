using Microsoft.Extensions.Time.Testing;
using Relay.Core.Cases;
using Relay.Core.Retention;

namespace Relay.Core.Tests.Retention;

public sealed class ClosedCaseRetentionSweepTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task It_deletes_what_closed_before_now_minus_the_retention_and_counts_only_real_deletions()
    {
        var store = new ListingStore([CaseId.Parse("01JAAAAAAAAAAAAAAAAAAAAAAA"), CaseId.Parse("01JBBBBBBBBBBBBBBBBBBBBBBB")]);
        var sweep = new ClosedCaseRetentionSweep(store, new RetentionSettings(TimeSpan.FromDays(90)), new FakeTimeProvider(Now));

        var deleted = await sweep.SweepAsync(CancellationToken.None);

        Assert.Equal(1, deleted);
        Assert.Equal([Now.AddDays(-90), Now.AddDays(-90), Now.AddDays(-90)], store.Cutoffs);
        Assert.Equal(ClosedCaseRetentionSweep.BatchSize, store.Limit);
    }

    /// <summary>Lists the given ids; the second one "reopened" since (the store's re-check refuses it).</summary>
    private sealed class ListingStore(IReadOnlyList<CaseId> closed) : ICaseRetentionStore
    {
        public List<DateTimeOffset> Cutoffs { get; } = [];

        public int Limit { get; private set; }

        public Task<IReadOnlyList<CaseId>> ListClosedBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken = default)
        {
            Cutoffs.Add(cutoff);
            Limit = limit;
            return Task.FromResult(closed);
        }

        public Task<CaseDeletion?> DeleteClosedCaseAsync(CaseId id, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
        {
            Cutoffs.Add(cutoff);
            return Task.FromResult(id == closed[0] ? new CaseDeletion(id, 1, 2, 0) : null);
        }

        public Task<PurgeRecord?> PurgeCaseAsync(PurgeRecord tombstone, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<PurgeRecord?> FindPurgeAsync(CaseId id, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
