using Relay.Core.Cases;
using Relay.Core.Reports;
using Relay.Sqlite;
using Relay.Tests.Contracts;

namespace Relay.Tests.Embedded;

/// <summary>
/// Commits that queue while a batch is being made durable are written together as the next batch, without a
/// savepoint each; one that conflicts must still fail alone, and the others in its batch be stored.
/// </summary>
public sealed class GroupCommitBatchTests : IDisposable
{
    private readonly TempDatabaseFile _file = new();

    [Fact]
    public async Task A_conflicting_commit_in_a_batch_fails_alone_and_the_rest_of_the_batch_is_stored()
    {
        using var database = await SqliteDatabase.OpenAsync(_file.Path);
        var store = new SqliteReportStore(database, TimeProvider.System);
        var samples = new ReportSamples(TimeProvider.System);
        using var syncing = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holds = 0;
        database.WalSyncing = () =>
        {
            if (Interlocked.Increment(ref holds) == 1)
            {
                syncing.Set();
                release.Wait(TimeSpan.FromSeconds(30));
            }
        };
        var holding = Task.Run(() => store.CommitAsync(samples.Commit(null, samples.EventTarget(), ReportSamples.Hash('a'))));
        Assert.True(syncing.Wait(TimeSpan.FromSeconds(30)), "the first batch never reached its WAL sync");

        // These three queue behind the held batch, so they are written as one batch when it is released.
        var shared = samples.EventTarget();
        var before = samples.Commit(null, shared, ReportSamples.Hash('b'));
        var conflicting = samples.Commit(null, shared, ReportSamples.Hash('c'));
        var after = samples.Commit(null, samples.EventTarget(), ReportSamples.Hash('d'));
        var filing = new[] { before, conflicting, after }.Select(commit => store.CommitAsync(commit)).ToArray();
        release.Set();
        await holding.WaitAsync(TimeSpan.FromSeconds(30));

        await filing[0].WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => filing[1].WaitAsync(TimeSpan.FromSeconds(30)));
        await filing[2].WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, Volatile.Read(ref holds));
        var stored = (await store.ListCasesAsync(new CaseQuery())).Select(c => c.Id).ToHashSet();
        Assert.Contains(before.Case.Id, stored);
        Assert.Contains(after.Case.Id, stored);
        Assert.DoesNotContain(conflicting.Case.Id, stored);
        Assert.Equal(before.Case.Id, (await store.FindOpenCaseAsync(shared.DedupeKey, ReportSamples.Hash('c')))!.Case.Id);
    }

    public void Dispose() => _file.Dispose();
}
