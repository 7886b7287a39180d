using Relay.Tests.Contracts;

namespace Relay.Tests.Embedded;

/// <summary>
/// The embedded queue's own retry policy, which Service Bus does differently (it redelivers an abandoned
/// message at once, keeps no error with it, and remembers ids for a window rather than while queued).
/// </summary>
public sealed partial class SqliteQueueTests
{
    [Fact]
    public async Task Completed_id_is_free_again()
    {
        await using var queue = await CreateQueueAsync(Options);
        await queue.Sender.EnqueueAsync(Message("m-1", "original"));
        await queue.CompleteAsync((await queue.ReceiveAsync(Topic))!);

        // Duplicate detection covers retries of a send, not history.
        await queue.Sender.EnqueueAsync(Message("m-1", "later"));

        Assert.Equal("later", (await queue.ReceiveAsync(Topic))!.Message.Body);
    }

    [Fact]
    public async Task Abandoned_message_returns_after_backoff_with_higher_delivery_count()
    {
        await using var queue = await CreateQueueAsync(Options with { MaxDeliveryCount = 10 });
        await queue.Sender.EnqueueAsync(Message("m-1"));
        var expected = new[] { 2, 4, 5, 5 }.Select(s => TimeSpan.FromSeconds(s));

        var count = 1;
        foreach (var backoff in expected)
        {
            var lease = await queue.ReceiveAsync(Topic);
            Assert.Equal(count, lease?.DeliveryCount);
            Assert.True(await queue.AbandonAsync(lease!, "System.TimeoutException: homeserver slow"));
            Assert.Equal(Time.GetUtcNow() + backoff, await queue.NextVisibleAtAsync(Topic));
            Time.Advance(backoff - TimeSpan.FromTicks(1));
            Assert.Null(await queue.ReceiveAsync(Topic));
            Time.Advance(TimeSpan.FromTicks(1));
            count++;
        }
        Assert.Equal(count, (await queue.ReceiveAsync(Topic))?.DeliveryCount);
    }

    [Fact]
    public async Task Dead_letters_after_max_delivery_count_with_reason()
    {
        await using var queue = await CreateQueueAsync(Options);
        var message = Message("m-1");
        await queue.Sender.EnqueueAsync(message);

        for (var delivery = 1; delivery <= Options.MaxDeliveryCount; delivery++)
        {
            var lease = await queue.ReceiveAsync(Topic);
            Assert.Equal(delivery, lease?.DeliveryCount);
            await queue.AbandonAsync(lease!, $"boom {delivery}");
            Time.Advance(Options.BackoffCap);
        }

        Assert.Null(await queue.ReceiveAsync(Topic));
        Assert.Equal(0, await queue.CountAsync());
        var letter = Assert.Single(await queue.DeadLettersAsync());
        Assert.Equal(message, letter.Message);
        Assert.Equal(Options.MaxDeliveryCount, letter.DeliveryCount);
        Assert.Contains("boom 3", letter.Reason, StringComparison.Ordinal);
    }
}
