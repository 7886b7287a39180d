using Relay.Azure.Tables;
using Relay.Core.Cases;
using Relay.Core.Dashboard;
using Relay.Core.Reports;
using Relay.Tests.Contracts;

namespace Relay.Tests.Azure;

/// <summary>The dashboard's sign-in and session contract on Table Storage (Azurite), a fresh table per test.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableStorageDashboardAuthStoreTests(AzuriteFixture azurite) : DashboardAuthStoreContract
{
    protected override async Task<IDashboardAuthStore> CreateStoreAsync()
    {
        var store = new TableStorageDashboardStore(azurite.Service, AzuriteFixture.UniquePrefix());
        await store.CreateTableAsync();
        return store;
    }
}

/// <summary>The dashboard's case listing filters on Table Storage, with pages of two rows so the scan follows continuations.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableStorageDashboardCaseListingTests(AzuriteFixture azurite) : CaseListingContract
{
    protected override async Task<(IReportStore Reports, ICaseStore Cases, ICaseWriteStore Writes)> CreateStoresAsync()
    {
        var options = new TableStorageOptions { TablePrefix = AzuriteFixture.UniquePrefix(), PageSize = 2 };
        var store = (await TableStorageStoreUnderTest.OpenAsync(azurite.Service, Time, options)).Store;
        return (store, store, store);
    }
}
