namespace Relay.Core.Queue;

/// <summary>Sends work to the queue-triggered handlers. Adapters: embedded SQLite queue, Service Bus (Azure.Messaging.ServiceBus).</summary>
public interface ICaseQueue
{
    /// <summary>Enqueues, or does nothing if a message with the same id is already queued.</summary>
    Task EnqueueAsync(QueueMessage message, CancellationToken cancellationToken = default);
}

/// <summary>A queue-triggered function. Throwing fails the delivery; the queue retries, then dead-letters.</summary>
public interface IQueueHandler
{
    string Topic { get; }

    Task HandleAsync(QueueDelivery delivery, CancellationToken cancellationToken);
}
