namespace Relay.Sqlite;

/// <summary>
/// Delivery rules of the embedded queue, shaped after Service Bus defaults so both runtimes retry alike.
/// </summary>
public sealed record SqliteQueueOptions
{
    /// <summary>Deliveries before a message is dead-lettered (Service Bus default: 10).</summary>
    public int MaxDeliveryCount { get; init; } = 10;

    /// <summary>How long a received message stays hidden; a handler that dies mid-way is retried after this.</summary>
    public TimeSpan LockDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Delay after the first failed delivery; doubles with each further failure.</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan BackoffCap { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Fails fast at start-up rather than with a queue that never retries or never gives up.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDeliveryCount, 1, nameof(MaxDeliveryCount));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LockDuration, TimeSpan.Zero, nameof(LockDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(BackoffBase, TimeSpan.Zero, nameof(BackoffBase));
        ArgumentOutOfRangeException.ThrowIfLessThan(BackoffCap, BackoffBase, nameof(BackoffCap));
    }

    /// <summary>Visibility delay after the <paramref name="deliveryCount"/>-th delivery failed: base · 2^(n−1), capped.</summary>
    public TimeSpan BackoffAfter(int deliveryCount)
    {
        var doublings = Math.Clamp(deliveryCount - 1, 0, 62);
        var ticks = BackoffBase.Ticks * Math.Pow(2, doublings);
        return ticks >= BackoffCap.Ticks ? BackoffCap : TimeSpan.FromTicks((long)ticks);
    }
}
