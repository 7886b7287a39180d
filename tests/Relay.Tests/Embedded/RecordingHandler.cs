using Relay.Core.Queue;

namespace Relay.Tests.Embedded;

/// <summary>A queue handler that records each delivery and then does whatever the test says.</summary>
internal sealed class RecordingHandler(string topic, Func<QueueDelivery, CancellationToken, Task>? behaviour = null) : IQueueHandler
{
    private readonly List<QueueDelivery> _deliveries = [];

    public string Topic => topic;

    public IReadOnlyList<QueueDelivery> Deliveries
    {
        get
        {
            lock (_deliveries)
            {
                return [.. _deliveries];
            }
        }
    }

    public Task HandleAsync(QueueDelivery delivery, CancellationToken cancellationToken)
    {
        lock (_deliveries)
        {
            _deliveries.Add(delivery);
        }
        return behaviour?.Invoke(delivery, cancellationToken) ?? Task.CompletedTask;
    }
}
