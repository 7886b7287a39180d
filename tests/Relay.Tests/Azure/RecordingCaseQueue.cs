using Relay.Core.Queue;

namespace Relay.Tests.Azure;

/// <summary>
/// Stands in for Service Bus behind the Table Storage store: keeps what was sent, drops a message whose id
/// is already queued (duplicate detection), and can be told to fail, as an outage would.
/// </summary>
public sealed class RecordingCaseQueue : ICaseQueue
{
    private readonly List<QueueMessage> _queued = [];
    private readonly Lock _gate = new();

    public bool Failing { get; set; }

    public int Attempts { get; private set; }

    public IReadOnlyList<QueueMessage> Queued
    {
        get
        {
            lock (_gate)
            {
                return _queued.ToList();
            }
        }
    }

    public Task EnqueueAsync(QueueMessage message, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Attempts++;
            if (Failing)
            {
                throw new HttpRequestException("Service Bus is unreachable (test).");
            }
            if (_queued.All(m => m.Id != message.Id))
            {
                _queued.Add(message);
            }
        }
        return Task.CompletedTask;
    }
}
