using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Relay.Azure.ServiceBus;
using Relay.Core.Queue;
using Relay.Host.Configuration;

namespace Relay.Host.Functions;

/// <summary>
/// Turns a Service Bus trigger invocation into the <see cref="QueueDelivery"/> the handlers know from the
/// embedded queue, and runs the one <see cref="IQueueHandler"/> registered for the function's topic.
/// </summary>
public sealed class QueueTriggerDispatcher
{
    private readonly Dictionary<string, IQueueHandler> _handlers;
    private readonly int _maxDeliveryCount;

    public QueueTriggerDispatcher(IEnumerable<IQueueHandler> handlers, IOptions<RelayOptions> options)
    {
        _maxDeliveryCount = options.Value.Queue.MaxDeliveryCount;
        _handlers = new Dictionary<string, IQueueHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            // Two handlers for one topic would each see only some messages; refuse the wiring instead.
            if (!_handlers.TryAdd(handler.Topic, handler))
            {
                throw new ArgumentException($"Two queue handlers are registered for topic '{handler.Topic}'.", nameof(handlers));
            }
        }
    }

    /// <summary>
    /// Builds the delivery: MessageId and DeliveryCount from the metadata (DeliveryCount 1 when absent),
    /// the last attempt when the count reaches Relay__Queue__MaxDeliveryCount, which must match the queue's
    /// maxDeliveryCount (Bicep sets both from one parameter).
    /// </summary>
    public QueueDelivery DeliveryFor(QueueBinding binding, FunctionInvocation invocation, string? invocationId)
    {
        var body = invocation.Data ?? "";
        var id = invocation.MetadataString("MessageId")
                 ?? invocationId
                 ?? $"{binding.Topic}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)))}";
        var count = Math.Max(1, invocation.MetadataInt("DeliveryCount") ?? 1);
        return new QueueDelivery(new QueueMessage(id, binding.Topic, body), count, count >= _maxDeliveryCount);
    }

    /// <summary>Throws when no handler is registered: the invocation fails, and Service Bus retries, then dead-letters the message for an operator to resubmit.</summary>
    public Task DispatchAsync(QueueDelivery delivery, CancellationToken cancellationToken) =>
        _handlers.TryGetValue(delivery.Message.Topic, out var handler)
            ? handler.HandleAsync(delivery, cancellationToken)
            : throw new InvalidOperationException($"No queue handler is registered for topic '{delivery.Message.Topic}'.");
}
