using Relay.Core.Cases;
using Relay.Core.Reports;
using Relay.Sqlite;
using Relay.Tests.Contracts;

namespace Relay.Tests.Embedded;

/// <summary>The case write contract on the embedded SQLite store, one fresh file per test.</summary>
public sealed class SqliteCaseStoreWriteTests : CaseStoreWriteContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("relay-casewrites-").FullName;
    private SqliteDatabase? _database;

    protected override async Task<(IReportStore Reports, ICaseStore Cases, ICaseWriteStore Writes)> CreateStoresAsync()
    {
        _database = await SqliteDatabase.OpenAsync(Path.Combine(_directory, "relay.db"));
        var store = new SqliteReportStore(_database, TimeProvider.System);
        return (store, store, store);
    }

    protected override async Task<IReadOnlyList<string>> QueuedMessageIdsAsync()
    {
        var queue = new SqliteQueue(_database!, TimeProvider.System);
        var ids = new List<string>();
        while (await queue.ReceiveAsync(["test.topic"]) is { } lease)
        {
            ids.Add(lease.Message.Id);
        }
        return ids;
    }

    public override Task DisposeAsync()
    {
        _database?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned by the OS later.
        }
        return Task.CompletedTask;
    }
}
