using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Messaging.ServiceBus;
using Relay.Core.Queue;

namespace Relay.Azure.ServiceBus;

/// <summary>
/// Sends queue messages with <c>Azure.Messaging.ServiceBus</c> over AMQP: one <see cref="ServiceBusClient"/>
/// (one connection, one token exchange) shared by a sender per queue, created on first use and kept.
/// <c>MessageId</c> is the message's deterministic id, so a resend within the queue's duplicate-detection
/// window is dropped by Service Bus: the "already queued" rule of <see cref="ICaseQueue"/>.
/// <see cref="QueueMessage.NotBefore"/> becomes <c>ScheduledEnqueueTime</c>, rounded up to the millisecond
/// AMQP timestamps carry, so a deadline never fires early. Failures reach callers as
/// <see cref="RequestFailedException"/> with the status the REST API would have answered, which the outbox
/// and the HTTP error mapping already treat as "not sent, retry later".
/// </summary>
public sealed class ServiceBusCaseQueue(ServiceBusClient client) : ICaseQueue, IAsyncDisposable
{
    /// <summary>Service Bus caps MessageId at 128 characters.</summary>
    private const int MaxMessageIdLength = 128;

    private readonly ConcurrentDictionary<string, ServiceBusSender> _senders = new(StringComparer.Ordinal);

    public async Task EnqueueAsync(QueueMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(message.Id);
        var queue = QueueBindings.ForTopic(message.Topic).QueueName;
        var sender = _senders.GetOrAdd(queue, client.CreateSender);
        try
        {
            await sender.SendMessageAsync(ToServiceBusMessage(message), cancellationToken);
        }
        catch (ServiceBusException e)
        {
            throw ServiceBusFailures.ToRequestFailed(e, message.Id, queue);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new RequestFailedException(401,
                $"Service Bus refused message {message.Id} on queue '{queue}': {ServiceBusFailures.Describe(401)}", e);
        }
    }

    internal static ServiceBusMessage ToServiceBusMessage(QueueMessage message)
    {
        var sent = new ServiceBusMessage(Encoding.UTF8.GetBytes(message.Body))
        {
            MessageId = MessageIdFor(message.Id),
            Subject = message.Topic,
            ContentType = "application/json;charset=utf-8",
        };
        if (message.NotBefore is { } due)
        {
            sent.ScheduledEnqueueTime = RoundedUpToMillisecond(due);
        }
        return sent;
    }

    /// <summary>Long ids keep their start for the operator and end in a hash of the whole, staying unique.</summary>
    internal static string MessageIdFor(string id)
    {
        if (id.Length <= MaxMessageIdLength)
        {
            return id;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
        return id[..(MaxMessageIdLength - hash.Length - 1)] + "~" + hash;
    }

    internal static DateTimeOffset RoundedUpToMillisecond(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        var whole = new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        return whole < utc ? whole.AddMilliseconds(1) : whole;
    }

    /// <summary>The senders only; the client belongs to whoever created it.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders.Values)
        {
            await sender.DisposeAsync();
        }
        _senders.Clear();
    }
}
