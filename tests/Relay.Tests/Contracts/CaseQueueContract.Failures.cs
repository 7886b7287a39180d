namespace Relay.Tests.Contracts;

/// <summary>Failed deliveries: backoff, then dead letters that keep the message and the reason.</summary>
public abstract partial class CaseQueueContract
{
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

    [Fact]
    public async Task Dead_letter_on_request_keeps_the_reason()
    {
        await using var queue = await CreateQueueAsync(Options);
        await queue.Sender.EnqueueAsync(Message("m-1"));
        var lease = await queue.ReceiveAsync(Topic);

        Assert.True(await queue.DeadLetterAsync(lease!, "body is not JSON"));

        Assert.Equal(0, await queue.CountAsync());
        var letter = Assert.Single(await queue.DeadLettersAsync());
        Assert.Equal(("m-1", 1, "body is not JSON", Time.GetUtcNow()),
            (letter.Message.Id, letter.DeliveryCount, letter.Reason, letter.DeadLetteredAt));
    }

    [Fact]
    public async Task Expired_lease_of_the_last_delivery_is_dead_lettered()
    {
        await using var queue = await CreateQueueAsync(Options with { MaxDeliveryCount = 1 });
        await queue.Sender.EnqueueAsync(Message("m-1"));
        Assert.NotNull(await queue.ReceiveAsync(Topic));

        Time.Advance(Options.LockDuration);

        Assert.Null(await queue.ReceiveAsync(Topic));
        var letter = Assert.Single(await queue.DeadLettersAsync());
        Assert.Contains("expired", letter.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settling_a_lost_lease_does_nothing()
    {
        await using var queue = await CreateQueueAsync(Options);
        await queue.Sender.EnqueueAsync(Message("m-1"));
        var lost = await queue.ReceiveAsync(Topic);
        Time.Advance(Options.LockDuration);
        var current = await queue.ReceiveAsync(Topic);

        Assert.False(await queue.AbandonAsync(lost!, "late"));
        Assert.False(await queue.DeadLetterAsync(lost!, "late"));

        Assert.Empty(await queue.DeadLettersAsync());
        Assert.True(await queue.CompleteAsync(current!));
    }
}
