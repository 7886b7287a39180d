namespace Relay.Tests.Contracts;

/// <summary>Failed deliveries: dead letters that keep the message and the reason, and leases that are lost.</summary>
public abstract partial class CaseQueueContract
{
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
