using Relay.Core.Cases;
using Relay.Core.Dashboard;
using Relay.Core.Reports;
using Relay.Sqlite;
using Relay.Tests.Contracts;

namespace Relay.Tests.Embedded;

/// <summary>The dashboard's sign-in and session contract on the embedded SQLite store, one fresh file per test.</summary>
public sealed class SqliteDashboardAuthStoreTests : DashboardAuthStoreContract, IDisposable
{
    private readonly TempDatabaseFile _file = new();
    private SqliteDatabase? _database;

    protected override async Task<IDashboardAuthStore> CreateStoreAsync()
    {
        _database = await SqliteDatabase.OpenAsync(_file.Path);
        return new SqliteDashboardStore(_database);
    }

    public override async Task DisposeAsync()
    {
        _database?.Dispose();
        await base.DisposeAsync();
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>The dashboard's case listing filters on the embedded SQLite store.</summary>
public sealed class SqliteDashboardCaseListingTests : CaseListingContract, IDisposable
{
    private readonly TempDatabaseFile _file = new();
    private SqliteDatabase? _database;

    protected override async Task<(IReportStore Reports, ICaseStore Cases, ICaseWriteStore Writes)> CreateStoresAsync()
    {
        _database = await SqliteDatabase.OpenAsync(_file.Path);
        var store = new SqliteReportStore(_database, Time);
        return (store, store, store);
    }

    public override async Task DisposeAsync()
    {
        _database?.Dispose();
        await base.DisposeAsync();
    }

    public void Dispose() => _file.Dispose();
}
