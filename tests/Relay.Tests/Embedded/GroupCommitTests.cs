using Relay.Core.Cases;
using Relay.Core.Reports;
using Relay.Sqlite;
using Relay.Tests.Contracts;

namespace Relay.Tests.Embedded;

/// <summary>
/// Group commits: a batch's fsync runs after its transaction released the write lock, and before its reports are
/// answered, so queue deliveries write meanwhile instead of waiting behind it. Commits that queue during that fsync
/// are written together as the next batch, without a savepoint each; one that conflicts still fails alone.
/// </summary>
public sealed class GroupCommitTests : IDisposable
{
    private readonly TempDatabaseFile _file = new();
    private readonly ReportSamples _samples = new(TimeProvider.System);
    private readonly ManualResetEventSlim _syncing = new();
    private readonly ManualResetEventSlim _release = new();
    private int _syncs;

    [Fact]
    public async Task A_report_is_answered_only_after_the_wal_is_synced_and_other_writers_write_while_it_syncs()
    {
        using var database = await OpenHoldingFirstSyncAsync();
        var store = new SqliteReportStore(database, TimeProvider.System);

        var filing = Task.Run(() => store.CommitAsync(_samples.Commit(null, _samples.EventTarget(), ReportSamples.Hash('a'))));
        Assert.True(_syncing.Wait(TimeSpan.FromSeconds(30)), "the group commit never reached its WAL sync");

        // The write lock is free while the batch syncs: an IMMEDIATE transaction commits at once (busy_timeout is 5 s).
        await using (var other = await database.OpenConnectionAsync())
        {
            await using var transaction = other.BeginTransaction(deferred: false);
            await using var command = other.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "CREATE TABLE Scratch (X INTEGER)";
            await command.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }
        Assert.False(filing.IsCompleted);

        _release.Set();
        await filing.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_failed_wal_sync_fails_the_reports_of_its_batch()
    {
        using var database = await SqliteDatabase.OpenAsync(_file.Path);
        var store = new SqliteReportStore(database, TimeProvider.System);
        database.WalSyncing = () => throw new IOException("disk gone");

        await Assert.ThrowsAsync<IOException>(() => store.CommitAsync(_samples.Commit(null, _samples.EventTarget(), ReportSamples.Hash('b'))));
    }

    [Fact]
    public async Task A_conflicting_commit_in_a_batch_fails_alone_and_the_rest_of_the_batch_is_stored()
    {
        using var database = await OpenHoldingFirstSyncAsync();
        var store = new SqliteReportStore(database, TimeProvider.System);
        var holding = Task.Run(() => store.CommitAsync(_samples.Commit(null, _samples.EventTarget(), ReportSamples.Hash('a'))));
        Assert.True(_syncing.Wait(TimeSpan.FromSeconds(30)), "the first batch never reached its WAL sync");

        // These three queue behind the held batch, so they are written as one batch when it is released.
        var shared = _samples.EventTarget();
        var before = _samples.Commit(null, shared, ReportSamples.Hash('b'));
        var conflicting = _samples.Commit(null, shared, ReportSamples.Hash('c'));
        var after = _samples.Commit(null, _samples.EventTarget(), ReportSamples.Hash('d'));
        var filing = new[] { before, conflicting, after }.Select(commit => store.CommitAsync(commit)).ToArray();
        _release.Set();
        await holding.WaitAsync(TimeSpan.FromSeconds(30));

        await filing[0].WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => filing[1].WaitAsync(TimeSpan.FromSeconds(30)));
        await filing[2].WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, Volatile.Read(ref _syncs));
        var stored = (await store.ListCasesAsync(new CaseQuery())).Select(c => c.Id).ToHashSet();
        Assert.Contains(before.Case.Id, stored);
        Assert.Contains(after.Case.Id, stored);
        Assert.DoesNotContain(conflicting.Case.Id, stored);
        Assert.Equal(before.Case.Id, (await store.FindOpenCaseAsync(shared.DedupeKey, ReportSamples.Hash('c')))!.Case.Id);
    }

    /// <summary>The first batch's WAL sync waits for <see cref="_release"/>; later syncs are only counted.</summary>
    private async Task<SqliteDatabase> OpenHoldingFirstSyncAsync()
    {
        var database = await SqliteDatabase.OpenAsync(_file.Path);
        database.WalSyncing = () =>
        {
            if (Interlocked.Increment(ref _syncs) == 1)
            {
                _syncing.Set();
                _release.Wait(TimeSpan.FromSeconds(30));
            }
        };
        return database;
    }

    public void Dispose()
    {
        _release.Set();
        _syncing.Dispose();
        _release.Dispose();
        _file.Dispose();
    }
}
