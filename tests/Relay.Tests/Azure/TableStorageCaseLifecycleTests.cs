using Relay.Azure.Tables;
using Relay.Tests.Contracts;

namespace Relay.Tests.Azure;

/// <summary>
/// The lifecycle contract on Table Storage (Azurite), fresh tables per test. Pages of two rows, so the case scans and
/// the partition reads behind a deletion must follow continuation tokens.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableStorageCaseLifecycleTests(AzuriteFixture azurite) : CaseLifecycleContract
{
    protected override async Task<LifecycleStores> CreateStoresAsync()
    {
        var options = new TableStorageOptions { TablePrefix = AzuriteFixture.UniquePrefix(), PageSize = 2 };
        var store = (await TableStorageStoreUnderTest.OpenAsync(azurite.Service, Time, options)).Store;
        var lifecycle = new TableStorageCaseLifecycleStore(azurite.Service, options);
        return new LifecycleStores(store, store, store, new TableStorageEscalationStore(azurite.Service, options), lifecycle, lifecycle);
    }
}
