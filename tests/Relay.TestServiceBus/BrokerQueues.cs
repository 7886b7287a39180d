using System.Text;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;

namespace Relay.TestServiceBus;

/// <summary>A message as the broker accepted it, with the properties Relay sets.</summary>
public sealed record BrokerMessage(string? MessageId, string? Subject, string? ContentType, string Body, DateTimeOffset? ScheduledEnqueueTime)
{
    private const string ScheduledEnqueueTimeAnnotation = "x-opt-scheduled-enqueue-time";

    public static BrokerMessage From(AmqpMessage message)
    {
        var body = new StringBuilder();
        foreach (var data in message.DataBody ?? [])
        {
            body.Append(Encoding.UTF8.GetString((ArraySegment<byte>)data.Value));
        }
        DateTimeOffset? scheduled = message.MessageAnnotations.Map.TryGetValue<DateTime>(ScheduledEnqueueTimeAnnotation, out var at)
            ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc))
            : null;
        return new BrokerMessage(message.Properties.MessageId?.ToString(), message.Properties.Subject,
            message.Properties.ContentType.Value, body.ToString(), scheduled);
    }
}

/// <summary>
/// The queues' contents: accepted messages in order, duplicates by MessageId within the window dropped (as
/// Service Bus's requiresDuplicateDetection does, whether or not the first copy was already consumed).
/// </summary>
public sealed class BrokerQueues(TimeProvider time, TimeSpan duplicateWindow)
{
    private readonly Lock _gate = new();
    private readonly List<(long Sequence, string Queue, BrokerMessage Message)> _accepted = [];
    private readonly Dictionary<(string Queue, string Id), DateTimeOffset> _seen = [];

    public TimeProvider Time => time;

    public int Duplicates { get; private set; }

    /// <summary>In the order accepted; the sequence number is Service Bus's, unique within the broker.</summary>
    public IReadOnlyList<(long Sequence, string Queue, BrokerMessage Message)> Accepted
    {
        get
        {
            lock (_gate)
            {
                return [.. _accepted];
            }
        }
    }

    public IReadOnlyList<BrokerMessage> In(string queue) => [.. Accepted.Where(a => a.Queue == queue).Select(a => a.Message)];

    internal void Accept(string queue, BrokerMessage message)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var key = (queue, message.MessageId ?? "");
            if (message.MessageId is not null && _seen.TryGetValue(key, out var first) && now - first < duplicateWindow)
            {
                Duplicates++;
                return;
            }
            _seen[key] = now;
            _accepted.Add((_accepted.Count + 1, queue, message));
        }
    }
}
