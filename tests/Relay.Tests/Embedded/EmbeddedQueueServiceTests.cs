using Microsoft.Extensions.Logging.Abstractions;
using Relay.Core.Queue;
using Relay.Sqlite;

namespace Relay.Tests.Embedded;

public sealed class EmbeddedQueueServiceTests : IDisposable
{
    private readonly TempDatabaseFile _file = new();

    [Fact]
    public async Task Hosted_service_runs_handlers_until_stopped()
    {
        using var database = await SqliteDatabase.OpenAsync(_file.Path);
        var queue = new SqliteQueue(database, TimeProvider.System);
        var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler(Topics.ReportReceived, (_, _) =>
        {
            handled.TrySetResult();
            return Task.CompletedTask;
        });
        using var service = new EmbeddedQueueService(
            new EmbeddedQueueWorker(queue, [handler], TimeProvider.System, NullLogger<EmbeddedQueueWorker>.Instance));

        await service.StartAsync(CancellationToken.None);
        await queue.EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, "{}"));
        await handled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(0, await queue.CountAsync());
        Assert.True(service.ExecuteTask?.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_message_leased_by_a_killed_earlier_run_is_handled_at_start_not_after_its_lease_expires()
    {
        using var database = await SqliteDatabase.OpenAsync(_file.Path);
        var queue = new SqliteQueue(database, TimeProvider.System);
        await queue.EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, "{}"));
        // The earlier run leased it (for LockDuration, 5 minutes) and was killed before settling.
        Assert.NotNull(await queue.ReceiveAsync([Topics.ReportReceived]));
        var deliveries = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler(Topics.ReportReceived, (delivery, _) =>
        {
            deliveries.TrySetResult(delivery.DeliveryCount);
            return Task.CompletedTask;
        });
        using var service = new EmbeddedQueueService(
            new EmbeddedQueueWorker(queue, [handler], TimeProvider.System, NullLogger<EmbeddedQueueWorker>.Instance));

        await service.StartAsync(CancellationToken.None);
        var count = await deliveries.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(2, count);
        Assert.Equal(0, await queue.CountAsync());
    }

    public void Dispose() => _file.Dispose();
}
