using Relay.Sqlite;
using Relay.Tests.Contracts;

namespace Relay.Tests.Embedded;

/// <summary>The escalation store contract on the embedded SQLite store, one fresh file per test.</summary>
public sealed class SqliteEscalationStoreTests : EscalationStoreContract, IDisposable
{
    private readonly TempDatabaseFile _file = new();
    private SqliteDatabase? _database;

    protected override async Task<EscalationStores> CreateStoresAsync()
    {
        _database = await SqliteDatabase.OpenAsync(_file.Path);
        var store = new SqliteReportStore(_database, Time);
        var escalation = new SqliteEscalationStore(_database);
        return new EscalationStores(store, store, store, escalation, escalation);
    }

    public override async Task DisposeAsync()
    {
        _database?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>After <see cref="DisposeAsync"/>, when the database has let go of the file.</summary>
    public void Dispose() => _file.Dispose();
}
