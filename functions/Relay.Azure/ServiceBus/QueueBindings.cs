using Relay.Core.Queue;

namespace Relay.Azure.ServiceBus;

/// <summary>
/// One Service Bus queue per topic, and the Azure function its trigger runs. This table is the one
/// place a new topic is added; a test checks that each row has its <c>functions/&lt;Function&gt;/function.json</c>
/// with this queue name, and that Bicep creates the queue.
/// </summary>
public static class QueueBindings
{
    public static IReadOnlyList<QueueBinding> All { get; } =
    [
        new(Topics.ReportReceived, "report-received", "OpenCase"),
        new(Topics.CaseDue, "case-due", "CaseDue"),
    ];

    public static QueueBinding ForTopic(string topic) =>
        All.FirstOrDefault(b => b.Topic == topic)
        ?? throw new ArgumentException(
            $"No Service Bus queue for topic '{topic}': add it to {nameof(QueueBindings)}, infra-bicep and functions/.", nameof(topic));
}

public sealed record QueueBinding(string Topic, string QueueName, string FunctionName);
