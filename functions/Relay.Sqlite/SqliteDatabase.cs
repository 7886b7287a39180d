using Microsoft.Data.Sqlite;
using Relay.Core.Memory;

namespace Relay.Sqlite;

/// <summary>
/// The one SQLite file of the embedded runtime: reports, cases, audit and the durable queue live
/// together so a report and its outbox messages commit in a single transaction.
/// </summary>
public sealed class SqliteDatabase : IDisposable, IIdleMemoryRelease
{
    // Every connection gets these: they are per connection. journal_mode is not among them: it persists in the
    // file, so MigrateAsync sets it once, and asking again on every open costs a lock under concurrent load.
    // cache_size: each pooled connection keeps its own page cache, 2 MB by default, and a burst of concurrent
    // requests leaves a dozen or more connections in the pool, each holding its share of the file in resident
    // memory (figure 5). 256 KiB holds the indexes intake reads; other pages come from the OS page cache.
    private const string ConnectionPragmas = "PRAGMA busy_timeout=5000; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-256;";

    private const string WalPragma = "PRAGMA journal_mode=WAL;";

    public SqliteDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
        }.ToString();
    }

    public string Path { get; }

    public string ConnectionString { get; }

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

    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = ConnectionPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
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
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }
}
