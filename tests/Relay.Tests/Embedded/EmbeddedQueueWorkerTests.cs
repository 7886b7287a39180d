using Microsoft.Extensions.Logging.Testing;
using Relay.Tests.Harness;
using Relay.Core.Memory;
using Relay.Core.Queue;
using Relay.Sqlite;

namespace Relay.Tests.Embedded;

public sealed class EmbeddedQueueWorkerTests : IAsyncLifetime, IDisposable
{
    private const string SecretBody = """{"reason":"private words of the reporter"}""";
    private static readonly SqliteQueueOptions Options = new() { MaxDeliveryCount = 3 };

    private readonly TempDatabaseFile _file = new();
    private readonly TimerWatchingTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger<EmbeddedQueueWorker> _logger = new();
    private SqliteDatabase _database = null!;
    private SqliteQueue _queue = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.OpenAsync(_file.Path);
        _queue = new SqliteQueue(_database, _time, Options);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _database?.Dispose();
        _file.Dispose();
    }

    private EmbeddedQueueWorker Worker(params IQueueHandler[] handlers) => new(_queue, handlers, _time, _logger);

    [Fact]
    public async Task Handler_success_completes_the_message()
    {
        var handler = new RecordingHandler(Topics.ReportReceived);
        var message = new QueueMessage("m-1", Topics.ReportReceived, SecretBody);
        await _queue.EnqueueAsync(message);

        Assert.Equal(1, await Worker(handler).RunOnceAsync());

        Assert.Equal([new QueueDelivery(message, 1, IsLastAttempt: false)], handler.Deliveries);
        Assert.Equal(0, await _queue.CountAsync());
        Assert.Equal(0, await Worker(handler).RunOnceAsync());
    }

    [Fact]
    public async Task Handlers_run_as_redoable_work_and_the_caller_does_not()
    {
        var inside = false;
        var handler = new RecordingHandler(Topics.ReportReceived, (_, _) =>
        {
            inside = RedoableWork.IsActive;
            return Task.CompletedTask;
        });
        await _queue.EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, SecretBody));

        await Worker(handler).RunOnceAsync();

        Assert.True(inside);
        Assert.False(RedoableWork.IsActive);
    }

    [Fact]
    public async Task Deliveries_count_as_work_in_flight_and_empty_polls_do_not()
    {
        var work = new WorkInFlight();
        long inFlightDuringHandler = -1;
        var handler = new RecordingHandler(Topics.ReportReceived, (_, _) =>
        {
            inFlightDuringHandler = work.InFlight;
            return Task.CompletedTask;
        });
        var worker = new EmbeddedQueueWorker(_queue, [handler], _time, _logger, work: work);

        Assert.Equal(0, await worker.RunOnceAsync());
        Assert.Equal(0, work.Started);
        await _queue.EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, SecretBody));
        Assert.Equal(1, await worker.RunOnceAsync());

        Assert.Equal(1, inFlightDuringHandler);
        Assert.Equal(1, work.Started);
        Assert.Equal(0, work.InFlight);
    }

    [Fact]
    public async Task Throwing_handler_is_retried_with_backoff_and_dead_lettered_after_the_last_attempt()
    {
        var handler = new RecordingHandler(Topics.ReportReceived,
            (_, _) => throw new InvalidOperationException("homeserver said: private words of the reporter"));
        var worker = Worker(handler);
        await _queue.EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, SecretBody));

        Assert.Equal(1, await worker.RunOnceAsync());
        Assert.Equal(0, await worker.RunOnceAsync());
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await worker.RunOnceAsync());
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(0, await worker.RunOnceAsync());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await worker.RunOnceAsync());

        Assert.Equal([(1, false), (2, false), (3, true)], handler.Deliveries.Select(d => (d.DeliveryCount, d.IsLastAttempt)));
        Assert.Equal(0, await _queue.CountAsync());
        var letter = Assert.Single(await _queue.ListDeadLettersAsync());
        Assert.Contains("System.InvalidOperationException", letter.Reason, StringComparison.Ordinal);
        Assert.Equal(SecretBody, letter.Message.Body);
    }

    [Fact]
    public async Task Failure_logs_name_the_message_and_error_type_but_not_the_body_or_error_text()
    {
        var handler = new RecordingHandler(Topics.ReportReceived,
            (_, _) => throw new InvalidOperationException("private words of the reporter"));
        await _queue.EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, SecretBody));

        await Worker(handler).RunOnceAsync();

        var record = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Contains("m-1", record.Message, StringComparison.Ordinal);
        Assert.Contains(Topics.ReportReceived, record.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(InvalidOperationException), record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("private words", record.Message, StringComparison.Ordinal);
        Assert.Null(record.Exception);
    }

    [Fact]
    public async Task Messages_of_topics_without_a_handler_are_left_queued()
    {
        var handler = new RecordingHandler(Topics.ReportReceived);
        await _queue.EnqueueAsync(new QueueMessage("due-1", Topics.CaseDue, "{}"));

        Assert.Equal(0, await Worker(handler).RunOnceAsync());

        Assert.Equal(1, await _queue.CountAsync());
        Assert.Equal(1, await Worker(new RecordingHandler(Topics.CaseDue)).RunOnceAsync());
    }

    [Fact]
    public void Two_handlers_for_one_topic_are_refused()
    {
        Assert.Throws<ArgumentException>(() =>
            Worker(new RecordingHandler(Topics.CaseDue), new RecordingHandler(Topics.CaseDue)));
    }

    [Fact]
    public async Task Running_worker_wakes_on_enqueue_without_time_passing()
    {
        var handled = new TaskCompletionSource<QueueDelivery>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler(Topics.ReportReceived, (d, _) =>
        {
            handled.TrySetResult(d);
            return Task.CompletedTask;
        });
        using var stop = new CancellationTokenSource();
        var running = Worker(handler).RunAsync(stop.Token);
        // The worker has drained the empty queue and gone to sleep on the (never advanced) clock.
        await _time.NextTimerAsync();

        await _queue.EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, "{}"));

        var delivery = await handled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("m-1", delivery.Message.Id);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Running_worker_delivers_a_delayed_message_once_it_falls_due()
    {
        var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler(Topics.CaseDue, (_, _) =>
        {
            handled.TrySetResult();
            return Task.CompletedTask;
        });
        var due = _time.GetUtcNow().AddSeconds(30);
        await _queue.EnqueueAsync(new QueueMessage("due-1", Topics.CaseDue, "{}", due));
        using var stop = new CancellationTokenSource();
        var running = Worker(handler).RunAsync(stop.Token);

        // Each time the worker goes to sleep, move the clock to when it wakes, until the message falls due.
        for (var step = 0; step < 200 && !handled.Task.IsCompleted; step++)
        {
            var sleep = await _time.NextTimerAsync();
            Assert.True(sleep <= TimeSpan.FromSeconds(30), $"slept {sleep} with a message due in 30 s");
            _time.Advance(sleep);
        }

        await handled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(_time.GetUtcNow() >= due);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Shutdown_mid_handler_hands_the_message_back_without_spending_an_attempt()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler(Topics.ReportReceived, async (_, ct) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        await _queue.EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, "{}"));
        using var stop = new CancellationTokenSource();
        var running = Worker(handler).RunAsync(stop.Token);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        var lease = await _queue.ReceiveAsync([Topics.ReportReceived]);
        Assert.Equal(1, lease?.DeliveryCount);
    }
}
