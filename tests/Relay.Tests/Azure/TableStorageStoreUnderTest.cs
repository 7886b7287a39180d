using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Relay.Azure.Tables;
using Relay.Core;
using Relay.Core.Cases;
using Relay.Core.Queue;
using Relay.Core.Reports;
using Relay.Tests.Contracts;

namespace Relay.Tests.Azure;

/// <summary>
/// The Table Storage store on Azurite, in tables of its own. Its outbox goes to a
/// <see cref="RecordingCaseQueue"/> standing in for Service Bus, which outlives a reopen as the real one would.
/// </summary>
internal sealed class TableStorageStoreUnderTest : IStoreUnderTest
{
    private readonly TableServiceClient _service;
    private readonly TimeProvider _time;
    private readonly TableStorageOptions _options;

    private TableStorageStoreUnderTest(TableServiceClient service, RecordingCaseQueue queue, TimeProvider time,
        TableStorageOptions options)
    {
        _service = service;
        _time = time;
        _options = options;
        Queue = queue;
        Store = new TableStorageReportStore(service, queue, time, NullLogger<TableStorageReportStore>.Instance, options);
    }

    public TableStorageReportStore Store { get; }

    public RecordingCaseQueue Queue { get; }

    public IReportStore Reports => Store;

    public ICaseStore Cases => Store;

    public IStoreHealth Health => Store;

    public static async Task<TableStorageStoreUnderTest> OpenAsync(TableServiceClient service, TimeProvider time,
        TableStorageOptions? options = null, RecordingCaseQueue? queue = null)
    {
        var opened = new TableStorageStoreUnderTest(service, queue ?? new RecordingCaseQueue(), time,
            options ?? new TableStorageOptions { TablePrefix = AzuriteFixture.UniquePrefix() });
        await opened.Store.CreateTablesAsync();
        return opened;
    }

    public Task<IReadOnlyList<QueueMessage>> QueuedAsync() => Task.FromResult(Queue.Queued);

    public async Task<IStoreUnderTest> ReopenAsync() => await OpenAsync(_service, _time, _options, Queue);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
