using Relay.Sqlite;
using Relay.Tests.Contracts;

namespace Relay.Tests.Embedded;

/// <summary>The lifecycle contract on the embedded SQLite store, one fresh file per test.</summary>
public sealed class SqliteCaseLifecycleTests : CaseLifecycleContract, IDisposable
{
    private readonly TempDatabaseFile _file = new();
    private SqliteDatabase? _database;

    protected override async Task<LifecycleStores> CreateStoresAsync()
    {
        _database = await SqliteDatabase.OpenAsync(_file.Path);
        var store = new SqliteReportStore(_database, Time);
        var lifecycle = new SqliteCaseLifecycleStore(_database);
        return new LifecycleStores(store, store, store, new SqliteEscalationStore(_database), lifecycle, lifecycle);
    }

    public override async Task DisposeAsync()
    {
        _database?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>After <see cref="DisposeAsync"/>, when the database has let go of the file.</summary>
    public void Dispose() => _file.Dispose();
}
