using Relay.Azure.Tables;
using Relay.Tests.Contracts;

namespace Relay.Tests.Azure;

/// <summary>
/// The escalation store contract on Table Storage (Azurite), fresh tables per test. Pages of two rows, so the
/// overdue and purge scans must follow continuation tokens.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableStorageEscalationStoreTests(AzuriteFixture azurite) : EscalationStoreContract
{
    protected override async Task<EscalationStores> CreateStoresAsync()
    {
        var options = new TableStorageOptions { TablePrefix = AzuriteFixture.UniquePrefix(), PageSize = 2 };
        var store = (await TableStorageStoreUnderTest.OpenAsync(azurite.Service, Time, options)).Store;
        var escalation = new TableStorageEscalationStore(azurite.Service, options);
        return new EscalationStores(store, store, store, escalation, escalation);
    }
}
