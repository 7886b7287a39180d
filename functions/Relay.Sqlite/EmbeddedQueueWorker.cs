using Microsoft.Extensions.Logging;
using Relay.Core.Errors;
using Relay.Core.Memory;
using Relay.Core.Queue;

namespace Relay.Sqlite;

/// <summary>
/// Runs the queue-triggered handlers in-process, one delivery at a time, with the same contract the
/// Functions host gives them: throw to fail the delivery, expect retries, last attempt flagged.
/// Logs name the message id, topic and error type only: bodies and exception messages may hold report data.
/// </summary>
public sealed class EmbeddedQueueWorker
{
    private readonly SqliteQueue _queue;
    private readonly Dictionary<string, IQueueHandler> _handlers;
    private readonly TimeProvider _time;
    private readonly ILogger<EmbeddedQueueWorker> _logger;
    private readonly EmbeddedQueueWorkerOptions _options;
    private readonly WorkInFlight? _work;

    /// <param name="work">Counts each delivery as work in flight, so the host's idle trim waits for the queue too.</param>
    public EmbeddedQueueWorker(SqliteQueue queue, IEnumerable<IQueueHandler> handlers, TimeProvider time,
        ILogger<EmbeddedQueueWorker> logger, EmbeddedQueueWorkerOptions? options = null, WorkInFlight? work = null)
    {
        _queue = queue;
        _time = time;
        _logger = logger;
        _options = options ?? new EmbeddedQueueWorkerOptions();
        _work = work;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.PollInterval, TimeSpan.Zero);
        _handlers = new Dictionary<string, IQueueHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            // Two handlers for one topic would each see only some messages; refuse the wiring instead.
            if (!_handlers.TryAdd(handler.Topic, handler))
            {
                throw new ArgumentException($"Two queue handlers are registered for topic '{handler.Topic}'.", nameof(handlers));
            }
        }
        Topics = _handlers.Keys.ToArray();
    }

    /// <summary>Only these are received; messages of other topics wait for a worker that handles them.</summary>
    public IReadOnlyCollection<string> Topics { get; }

    /// <summary>Handles every message visible now, including ones the handlers enqueue meanwhile; returns how many.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        // A message stays queued until its completion commits, so everything from its lease on can be done again.
        using var redoable = RedoableWork.Begin();
        var handled = 0;
        while (!cancellationToken.IsCancellationRequested
               && await _queue.ReceiveAsync(Topics, cancellationToken) is { } lease)
        {
            // Only deliveries count: the empty receive of each poll is not activity worth trimming after.
            using var _ = _work is null ? default : _work.Begin();
            await DeliverAsync(lease, cancellationToken);
            handled++;
        }
        return handled;
    }

    /// <summary>
    /// At start: messages leased by an earlier run of this process (killed mid-delivery) are handed out again now
    /// instead of after their lease expires.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken = default)
    {
        var released = await _queue.ReleaseLeasesOfEarlierRunsAsync(cancellationToken);
        if (released > 0)
        {
            _logger.LogInformation("Released {Count} message(s) whose delivery an earlier run did not finish", released);
        }
    }

    /// <summary>Until cancelled: drain, then sleep until the next message is due, new work arrives, or the poll interval passes.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            // Armed before draining, so an enqueue that lands after the last receive still wakes the sleep below.
            var woken = _queue.Signal.Arm();
            TimeSpan delay;
            try
            {
                await RunOnceAsync(cancellationToken);
                delay = await DelayUntilNextAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store failed (disk full, file locked); the messages are safe in it, so wait and try again.
                _logger.LogError(ex, "The embedded queue could not be read; retrying in {Delay}", _options.PollInterval);
                delay = _options.PollInterval;
            }
            await SleepAsync(woken, delay, cancellationToken);
        }
    }

    private async Task DeliverAsync(QueueLease lease, CancellationToken cancellationToken)
    {
        var message = lease.Message;
        var isLast = lease.DeliveryCount >= _queue.Options.MaxDeliveryCount;
        try
        {
            await _handlers[message.Topic].HandleAsync(new QueueDelivery(message, lease.DeliveryCount, isLast), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down is not the handler's fault: hand the message back without spending an attempt.
            await _queue.ReleaseAsync(lease, CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            await FailAsync(lease, ex, isLast);
            return;
        }
        if (!await _queue.CompleteAsync(lease, CancellationToken.None))
        {
            _logger.LogWarning("Message {MessageId} on {Topic} was handled after its lease expired; it may be handled again",
                message.Id, message.Topic);
        }
    }

    private async Task FailAsync(QueueLease lease, Exception ex, bool isLast)
    {
        var message = lease.Message;
        var errorType = ex.GetType().FullName ?? ex.GetType().Name;
        // The stored error keeps the exception message for the operator; the log line only what is safe to log:
        // a homeserver failure's errcode, status and step, without which the cause was invisible in the log.
        await _queue.AbandonAsync(lease, $"{errorType}: {ex.Message}", CancellationToken.None);
        var failure = MatrixException.Describe(ex);
        if (isLast)
        {
            _logger.LogError("Message {MessageId} on {Topic} failed delivery {DeliveryCount} with {Failure} and was dead-lettered",
                message.Id, message.Topic, lease.DeliveryCount, failure);
        }
        else
        {
            _logger.LogWarning("Message {MessageId} on {Topic} failed delivery {DeliveryCount} with {Failure}; it will be retried",
                message.Id, message.Topic, lease.DeliveryCount, failure);
        }
    }

    private async Task<TimeSpan> DelayUntilNextAsync(CancellationToken cancellationToken)
    {
        var next = await _queue.NextVisibleAtAsync(Topics, cancellationToken);
        if (next is null)
        {
            return _options.PollInterval;
        }
        var wait = next.Value - _time.GetUtcNow();
        return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < _options.PollInterval ? wait : _options.PollInterval;
    }

    private async Task SleepAsync(Task woken, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }
        using var stopSleeping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sleep = Task.Delay(delay, _time, stopSleeping.Token);
        await Task.WhenAny(woken, sleep);
        // Cancels the timer when the signal won, so sleeps do not pile up.
        await stopSleeping.CancelAsync();
    }
}
