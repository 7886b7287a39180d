using Relay.Core.Queue;

namespace Relay.Tests.Embedded;

public sealed partial class SqliteQueueTests
{
    /// <summary>
    /// Each topic's first visible message is found by one index seek, and the one visible longest goes first: a delayed
    /// message waits behind those visible before it, not in front of them by the order it was sent.
    /// </summary>
    [Fact]
    public async Task Messages_of_several_topics_are_received_in_the_order_they_became_visible()
    {
        await using var queue = await CreateQueueAsync(Options);
        await queue.Sender.EnqueueAsync(Message("delayed", notBefore: Time.GetUtcNow().AddMinutes(1)));
        await queue.Sender.EnqueueAsync(new QueueMessage("due-now", Topics.CaseDue, "{}"));
        await queue.Sender.EnqueueAsync(new QueueMessage("far", Topics.CaseDue, "{}", Time.GetUtcNow().AddHours(1)));
        Time.Advance(TimeSpan.FromMinutes(2));
        await queue.Sender.EnqueueAsync(Message("later"));

        string?[] received =
        [
            (await queue.ReceiveAsync(Topic, Topics.CaseDue))?.Message.Id,
            (await queue.ReceiveAsync(Topic, Topics.CaseDue))?.Message.Id,
            (await queue.ReceiveAsync(Topic, Topics.CaseDue))?.Message.Id,
            (await queue.ReceiveAsync(Topic, Topics.CaseDue))?.Message.Id,
        ];

        Assert.Equal<string?>(["due-now", "delayed", "later", null], received.AsEnumerable());
    }
}
