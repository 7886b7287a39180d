using Relay.Sqlite;
using Relay.Tests.Contracts;

namespace Relay.Tests.Embedded;

/// <summary>
/// A group commit's fsync runs after its transaction released the write lock, and before its reports are answered:
/// queue deliveries write meanwhile instead of waiting behind it.
/// </summary>
public sealed class GroupCommitSyncTests : IDisposable
{
    private readonly TempDatabaseFile _file = new();

    [Fact]
    public async Task A_report_is_answered_only_after_the_wal_is_synced_and_other_writers_write_while_it_syncs()
    {
        using var database = await SqliteDatabase.OpenAsync(_file.Path);
        var store = new SqliteReportStore(database, TimeProvider.System);
        var samples = new ReportSamples(TimeProvider.System);
        using var syncing = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        database.WalSyncing = () =>
        {
            syncing.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        };

        var filing = Task.Run(() => store.CommitAsync(samples.Commit(null, samples.EventTarget(), ReportSamples.Hash('a'))));
        Assert.True(syncing.Wait(TimeSpan.FromSeconds(30)), "the group commit never reached its WAL sync");

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

        release.Set();
        await filing.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_failed_wal_sync_fails_the_reports_of_its_batch()
    {
        using var database = await SqliteDatabase.OpenAsync(_file.Path);
        var store = new SqliteReportStore(database, TimeProvider.System);
        var samples = new ReportSamples(TimeProvider.System);
        database.WalSyncing = () => throw new IOException("disk gone");

        await Assert.ThrowsAsync<IOException>(() => store.CommitAsync(samples.Commit(null, samples.EventTarget(), ReportSamples.Hash('b'))));
    }

    public void Dispose() => _file.Dispose();
}
