using Microsoft.Data.Sqlite;
using Relay.Sqlite;

namespace Relay.Tests.Embedded;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TempDatabaseFile _file = new();

    [Fact]
    public async Task Migration_creates_the_directory_and_is_idempotent()
    {
        using (await SqliteDatabase.OpenAsync(_file.Path))
        {
        }
        using var database = await SqliteDatabase.OpenAsync(_file.Path);

        Assert.True(File.Exists(_file.Path));
        Assert.Equal((long)SqliteSchema.CurrentVersion, await ScalarAsync(database, "PRAGMA user_version"));
        foreach (var table in new[] { "Reports", "Cases", "CaseIndex", "CaseReporters", "Audit", "Queue", "DeadLetters" })
        {
            Assert.Equal(1L, await ScalarAsync(database, $"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '{table}'"));
        }
    }

    [Fact]
    public async Task Connections_use_wal_full_sync_busy_timeout_and_foreign_keys()
    {
        using var database = await SqliteDatabase.OpenAsync(_file.Path);

        Assert.Equal("wal", await ScalarAsync(database, "PRAGMA journal_mode"));
        Assert.Equal(2L, await ScalarAsync(database, "PRAGMA synchronous"));
        Assert.Equal(5000L, await ScalarAsync(database, "PRAGMA busy_timeout"));
        Assert.Equal(1L, await ScalarAsync(database, "PRAGMA foreign_keys"));
    }

    [Fact]
    public async Task Redoable_work_commits_without_fsync_and_the_next_open_outside_it_syncs_again()
    {
        using var database = await SqliteDatabase.OpenAsync(_file.Path);

        using (RedoableWork.Begin())
        {
            Assert.Equal(1L, await ScalarAsync(database, "PRAGMA synchronous"));
        }
        // Pooling hands the same native connections out again, still set as the redoable work left them.
        Assert.Equal(2L, await ScalarAsync(database, "PRAGMA synchronous"));
        Assert.False(RedoableWork.IsActive);
    }

    [Fact]
    public async Task Group_commits_get_a_page_cache_for_a_batch_and_other_connections_a_small_one()
    {
        using var database = await SqliteDatabase.OpenAsync(_file.Path);

        await using (var groupCommit = await database.OpenGroupCommitConnectionAsync())
        {
            Assert.Equal(-2048L, await ScalarAsync(groupCommit, "PRAGMA cache_size"));
            // Its fsync comes after the commit, outside the write lock (SyncWal).
            Assert.Equal(1L, await ScalarAsync(groupCommit, "PRAGMA synchronous"));
        }
        // The pool hands the same native connection out again; it gives the big cache back.
        Assert.Equal(-256L, await ScalarAsync(database, "PRAGMA cache_size"));
    }

    [Fact]
    public async Task Pooled_connections_keep_their_pragmas_when_opened_again()
    {
        using var database = await SqliteDatabase.OpenAsync(_file.Path);
        for (var i = 0; i < 3; i++)
        {
            using var redoable = i == 1 ? RedoableWork.Begin() : default;
            Assert.Equal(5000L, await ScalarAsync(database, "PRAGMA busy_timeout"));
            Assert.Equal(1L, await ScalarAsync(database, "PRAGMA foreign_keys"));
            Assert.Equal(-256L, await ScalarAsync(database, "PRAGMA cache_size"));
            // Savepoint journals in memory: a group commit's conflict pass would otherwise write them to a temp file.
            Assert.Equal(2L, await ScalarAsync(database, "PRAGMA temp_store"));
        }
    }

    [Fact]
    public async Task Receiving_finds_expired_leases_through_an_index_not_by_scanning_every_scheduled_deadline()
    {
        using var database = await SqliteDatabase.OpenAsync(_file.Path);
        await using var connection = await database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        // The condition SqliteQueue dead-letters by on every receive.
        command.CommandText = "EXPLAIN QUERY PLAN SELECT Seq FROM Queue WHERE LeaseToken IS NOT NULL AND VisibleAt <= 0 AND DeliveryCount >= 5";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("SEARCH Queue USING INDEX Queue_ByLeaseExpiry (VisibleAt<?)", reader.GetString(3));
    }

    [Fact]
    public async Task A_file_from_a_newer_build_is_refused()
    {
        using (var database = await SqliteDatabase.OpenAsync(_file.Path))
        {
            await ScalarAsync(database, "PRAGMA user_version = 99");
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteDatabase.OpenAsync(_file.Path));
    }

    [Fact]
    public async Task A_file_from_before_incidents_upgrades_and_its_open_case_keeps_its_own_key()
    {
        using (var database = await SqliteDatabase.OpenAsync(_file.Path))
        {
            // The file as the build before case-room budgets left it: no Incident column, schema version one lower.
            await ScalarAsync(database, $"""
                INSERT INTO Cases (Id, TargetKind, RoomId, EventId, UserId, EventType, DedupeKey, State, Tier, ReporterCount, ReportCount, OpenedAt, UpdatedAt, Version)
                VALUES ('01J0000000000000000000AAA1', 1, '!room:example.org', '$old:example.org', '@spammer:example.org', 'm.room.message',
                        'event|!room:example.org $old:example.org', 'Open', 1, 1, 1, 0, 0, 1);
                INSERT INTO CaseIndex (DedupeKey, CaseId) VALUES ('event|!room:example.org $old:example.org', '01J0000000000000000000AAA1');
                ALTER TABLE Cases DROP COLUMN Incident;
                PRAGMA user_version = {SqliteSchema.CurrentVersion - 1};
                """);
        }

        using var upgraded = await SqliteDatabase.OpenAsync(_file.Path);
        var store = new SqliteReportStore(upgraded, TimeProvider.System);

        Assert.Equal((long)SqliteSchema.CurrentVersion, await ScalarAsync(upgraded, "PRAGMA user_version"));
        var open = await store.FindOpenCaseAsync("event|!room:example.org $old:example.org", "someone");
        Assert.NotNull(open);
        Assert.Null(open.Case.Incident);
        Assert.Null(open.Case.GroupKey);
        Assert.Equal("event|!room:example.org $old:example.org", open.Case.DedupeKey);
    }

    [Fact]
    public async Task Audit_is_append_only()
    {
        using var database = await SqliteDatabase.OpenAsync(_file.Path);
        await ScalarAsync(database, """
            INSERT INTO Cases (Id, TargetKind, RoomId, DedupeKey, State, Tier, ReporterCount, ReportCount, OpenedAt, UpdatedAt, Version)
            VALUES ('C', 2, '!room', 'room|!room', 'Open', 1, 1, 1, 0, 0, 1);
            INSERT INTO Audit (CaseId, At, Actor, Action) VALUES ('C', 0, 'relay', 'case.opened');
            """);

        var update = await Assert.ThrowsAsync<SqliteException>(() => ScalarAsync(database, "UPDATE Audit SET Actor = 'x'"));
        var delete = await Assert.ThrowsAsync<SqliteException>(() => ScalarAsync(database, "DELETE FROM Audit"));
        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await ScalarAsync(database, "SELECT count(*) FROM Audit"));
    }

    [Fact]
    public async Task Ping_is_true_for_a_usable_file_and_false_otherwise()
    {
        using var database = await SqliteDatabase.OpenAsync(_file.Path);
        using var unusable = new SqliteDatabase(Path.GetDirectoryName(_file.Path)!);

        Assert.True(await database.PingAsync());
        Assert.False(await unusable.PingAsync());
    }

    [Fact]
    public async Task Write_transactions_take_the_lock_at_begin()
    {
        // The store relies on BeginTransaction(deferred: false) being BEGIN IMMEDIATE: a second writer must wait at BEGIN.
        using var database = await SqliteDatabase.OpenAsync(_file.Path);
        await using var first = await database.OpenConnectionAsync();
        await using var holding = first.BeginTransaction(deferred: false);
        await using var second = await database.OpenConnectionAsync();
        await using (var noWait = second.CreateCommand())
        {
            noWait.CommandText = "PRAGMA busy_timeout = 0";
            await noWait.ExecuteNonQueryAsync();
        }
        second.DefaultTimeout = 1;

        var busy = Assert.Throws<SqliteException>(() => second.BeginTransaction(deferred: false));
        Assert.Equal(5, busy.SqliteErrorCode);
    }

    private static async Task<object?> ScalarAsync(SqliteDatabase database, string sql)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await ScalarAsync(connection, sql);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public void Dispose() => _file.Dispose();
}
