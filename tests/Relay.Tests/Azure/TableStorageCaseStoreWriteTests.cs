using Relay.Core.Cases;
using Relay.Core.Reports;
using Relay.Tests.Contracts;

namespace Relay.Tests.Azure;

/// <summary>The case write contract on Table Storage (Azurite), fresh tables per test.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableStorageCaseStoreWriteTests(AzuriteFixture azurite) : CaseStoreWriteContract
{
    private TableStorageStoreUnderTest? _store;

    protected override async Task<(IReportStore Reports, ICaseStore Cases, ICaseWriteStore Writes)> CreateStoresAsync()
    {
        _store = await TableStorageStoreUnderTest.OpenAsync(azurite.Service, TimeProvider.System);
        return (_store.Store, _store.Store, _store.Store);
    }

    protected override Task<IReadOnlyList<string>> QueuedMessageIdsAsync() =>
        Task.FromResult<IReadOnlyList<string>>(_store!.Queue.Queued.Select(m => m.Id).ToList());
}
