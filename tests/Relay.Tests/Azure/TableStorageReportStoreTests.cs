using Relay.Tests.Contracts;

namespace Relay.Tests.Azure;

/// <summary>The same contract the SQLite store passes, on Table Storage (Azurite).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableStorageReportStoreTests(AzuriteFixture azurite) : ReportStoreContract
{
    protected override async Task<IStoreUnderTest> CreateStoreAsync() =>
        await TableStorageStoreUnderTest.OpenAsync(azurite.Service, Time);
}
