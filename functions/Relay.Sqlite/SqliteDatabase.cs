using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Relay.Core.Memory;
using SQLitePCL;

namespace Relay.Sqlite;

/// <summary>
/// The one SQLite file of the embedded runtime: reports, cases, audit and the durable queue live
/// together so a report and its outbox messages commit in a single transaction.
/// </summary>
public sealed class SqliteDatabase : IDisposable, IIdleMemoryRelease
{
    // Every native connection gets these once: they are per connection, and a pooled connection keeps them, so
    // running them on every open (as this did) was parsed and executed again for every read of the hot path.
    // journal_mode is not among them: it persists in the file, so MigrateAsync sets it once, and asking again on
    // every open costs a lock under concurrent load. temp_store=MEMORY keeps savepoint and statement journals off
    // disk: a group commit's savepoint pass spilled them into a temp file, and those writes were half its CPU.
    private const string ConnectionPragmas = "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";

    // Each pooled connection keeps its own page cache, 2 MB by default, and a burst of concurrent requests leaves a
    // dozen or more connections in the pool, each holding its share of the file in resident memory (figure 5).
    // 256 KiB holds the indexes intake reads; other pages come from the OS page cache. A group commit is different:
    // a batch of reports dirties more pages than that, and a full cache spills them into the WAL mid-transaction
    // and reads them back, so its connection gets the default while it writes and gives it back afterwards.
    private const int SmallCacheKib = 256;

    private const int GroupCommitCacheKib = 2048;

    private const string FullSync = "PRAGMA synchronous=FULL;";

    private const string NormalSync = "PRAGMA synchronous=NORMAL;";

    private const string WalPragma = "PRAGMA journal_mode=WAL;";

    private readonly KeptConnections _readers;

    private readonly KeptConnections _groupCommits;

    public SqliteDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        // Reads on the report path run synchronously once rented, so a few per core cover any number of requests.
        _readers = new KeptConnections(OpenConnectionAsync, keep: Math.Max(4, Environment.ProcessorCount));
        _groupCommits = new KeptConnections(OpenGroupCommitConnectionAsync, keep: 1);
        Path = System.IO.Path.GetFullPath(path);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
    }

    public string Path { get; }

    public string ConnectionString { get; }

    // Keyed by the native handle, which the pool hands out again with whatever pragmas it was given; an entry
    // goes when its handle is collected. A handle is used by one connection at a time, so its state needs no lock.
    private readonly ConditionalWeakTable<sqlite3, HandleState> _handles = new();

    /// <summary>Tests only: runs just before each <see cref="SyncWal"/>, to hold a group commit there.</summary>
    internal Action? WalSyncing { get; set; }

    /// <summary>Pulsed after anything lands in the Queue table, so the in-process worker wakes without polling.</summary>
    internal WorkSignal QueueSignal { get; } = new();

    /// <summary>Creates the directory and file if missing and brings the schema to the current version; safe to repeat.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(null, WalPragma, cancellationToken);
        await SqliteSchema.MigrateAsync(connection, cancellationToken);
    }

    /// <summary>Constructs and migrates in one step, for hosts and tests.</summary>
    public static async Task<SqliteDatabase> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var database = new SqliteDatabase(path);
        await database.MigrateAsync(cancellationToken);
        return database;
    }

    /// <summary>
    /// A pooled connection whose commits are fsync'd before they return, or, inside <see cref="RedoableWork"/>,
    /// synced at the next checkpoint.
    /// </summary>
    public Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        OpenAsync(fullSync: !RedoableWork.IsActive, SmallCacheKib, cancellationToken);

    /// <summary>
    /// For group commits: a connection whose commits return without fsync, with a page cache that holds a batch's dirty
    /// pages. The batch is made durable by <see cref="SyncWal"/> after the write lock is released and before anyone is
    /// answered: under <c>synchronous=FULL</c> the fsync ran inside the lock, and every queue delivery's write waited
    /// behind it (1.9–2.3 s of 3 s of deliveries, traced while reports poured in).
    /// </summary>
    public Task<SqliteConnection> OpenGroupCommitConnectionAsync(CancellationToken cancellationToken = default) =>
        OpenAsync(fullSync: false, GroupCommitCacheKib, cancellationToken);

    /// <summary>A connection for the reads on every report's path, with its statements prepared from earlier uses.</summary>
    internal ValueTask<KeptConnection> RentReaderAsync(CancellationToken cancellationToken) =>
        _readers.RentAsync(cancellationToken);

    /// <summary>The group commit's connection (<see cref="OpenGroupCommitConnectionAsync"/>), its statements prepared from earlier batches.</summary>
    internal ValueTask<KeptConnection> RentGroupCommitAsync(CancellationToken cancellationToken) =>
        _groupCommits.RentAsync(cancellationToken);

    /// <summary>
    /// fsyncs the WAL, making every commit already in it durable. Safe with a concurrent checkpoint: one copies frames
    /// into the database file only after syncing the WAL, and syncs the database file before the WAL is reused or
    /// removed, so frames that are no longer in the WAL are already on disk.
    /// </summary>
    public void SyncWal()
    {
        WalSyncing?.Invoke();
        try
        {
            using var wal = File.OpenHandle(Path + "-wal", FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.FlushToDisk(wal);
        }
        catch (FileNotFoundException)
        {
            // The last connection closed: it checkpointed everything into the database file, synced it, removed the WAL.
        }
    }

    private async Task<SqliteConnection> OpenAsync(bool fullSync, int cacheKib, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            var state = _handles.GetValue(connection.Handle!, static _ => new HandleState());
            var pragmas = state.Configured ? "" : ConnectionPragmas;
            if (!state.Configured || state.FullSync != fullSync)
            {
                pragmas += fullSync ? FullSync : NormalSync;
            }
            if (state.CacheKib != cacheKib)
            {
                pragmas += $"PRAGMA cache_size=-{cacheKib};";
            }
            if (pragmas.Length > 0)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = pragmas;
                await command.ExecuteNonQueryAsync(cancellationToken);
                state.Configured = true;
                state.FullSync = fullSync;
                state.CacheKib = cacheKib;
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>True when the file opens and answers a query; never throws, since health checks only want a yes or no.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_schema";
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Closes the idle pooled connections, and with them their page caches and prepared statements: a burst leaves a
    /// dozen or more in the pool. Connections in use are closed when returned instead of pooled, so this is safe while
    /// a request runs; the next request opens a fresh one (~0.1 ms plus the per-connection pragmas).
    /// </summary>
    public void ReleaseIdleMemory() => ClearPool();

    /// <summary>Closes pooled connections so the file can be moved or deleted (tests, restarts).</summary>
    public void Dispose() => ClearPool();

    private void ClearPool()
    {
        // The kept connections first: closing them hands them to the pool, which is cleared next.
        _readers.Clear();
        _groupCommits.Clear();
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    private sealed class HandleState
    {
        public bool Configured { get; set; }

        public bool FullSync { get; set; }

        public int CacheKib { get; set; }
    }
}
