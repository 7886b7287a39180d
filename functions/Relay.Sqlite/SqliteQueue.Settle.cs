using Microsoft.Data.Sqlite;

namespace Relay.Sqlite;

/// <summary>
/// Settling a lease. Each returns false when the lease was lost (it expired and the message was received
/// again), so a slow handler cannot settle a delivery that is no longer its own.
/// </summary>
public sealed partial class SqliteQueue
{
    public async Task<bool> CompleteAsync(QueueLease lease, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await connection.Command(null, "DELETE FROM Queue WHERE Id = @Id AND LeaseToken = @Token")
            .WithLease(lease)
            .ExecuteAndDisposeAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// The delivery failed: retry after backoff, or dead-letter with <paramref name="error"/> once the
    /// delivery count reached <see cref="SqliteQueueOptions.MaxDeliveryCount"/>.
    /// </summary>
    public async Task<bool> AbandonAsync(QueueLease lease, string error, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        if (lease.DeliveryCount >= Options.MaxDeliveryCount)
        {
            return await MoveToDeadLettersAsync(lease, $"MaxDeliveryCountExceeded: {error}", now, cancellationToken);
        }
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await connection.Command(null, """
                UPDATE Queue SET VisibleAt = @VisibleAt, LeaseToken = NULL, LastError = @Error
                 WHERE Id = @Id AND LeaseToken = @Token
                """)
            .WithLease(lease)
            .With("@VisibleAt", UtcTicks.From(now + Options.BackoffAfter(lease.DeliveryCount)))
            .With("@Error", error)
            .ExecuteAndDisposeAsync(cancellationToken) == 1;
    }

    /// <summary>The message can never succeed (malformed, refers to nothing): stop retrying now.</summary>
    public Task<bool> DeadLetterAsync(QueueLease lease, string reason, CancellationToken cancellationToken = default) =>
        MoveToDeadLettersAsync(lease, reason, _time.GetUtcNow(), cancellationToken);

    /// <summary>
    /// Hands the message back at once without counting the delivery: for a graceful shutdown, where the
    /// handler did not fail and should not wait out its lease or lose one of its attempts.
    /// </summary>
    public async Task<bool> ReleaseAsync(QueueLease lease, CancellationToken cancellationToken = default)
    {
        bool released;
        await using (var connection = await _database.OpenConnectionAsync(cancellationToken))
        {
            released = await connection.Command(null, """
                    UPDATE Queue SET VisibleAt = @Now, LeaseToken = NULL, DeliveryCount = max(DeliveryCount - 1, 0)
                     WHERE Id = @Id AND LeaseToken = @Token
                    """)
                .WithLease(lease)
                .With("@Now", UtcTicks.From(_time.GetUtcNow()))
                .ExecuteAndDisposeAsync(cancellationToken) == 1;
        }
        Signal.Pulse();
        return released;
    }

    private async Task<bool> MoveToDeadLettersAsync(QueueLease lease, string reason, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var moved = await connection.Command(transaction, $"""
                INSERT INTO DeadLetters ({QueueRows.MessageColumns}, EnqueuedAt, DeliveryCount, Reason, DeadLetteredAt)
                SELECT {QueueRows.MessageColumns}, EnqueuedAt, DeliveryCount, @Reason, @Now FROM Queue
                 WHERE Id = @Id AND LeaseToken = @Token;
                DELETE FROM Queue WHERE Id = @Id AND LeaseToken = @Token;
                """)
            .WithLease(lease)
            .With("@Reason", reason)
            .With("@Now", UtcTicks.From(now))
            .ExecuteAndDisposeAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return moved > 0;
    }

    /// <summary>
    /// Makes every leased message visible now. Call it only when no handler of this file can be running: at the
    /// start of the embedded runtime, which is one process per file, every lease belongs to a process that died
    /// (killed, power cut) and would otherwise hide its message for the rest of
    /// <see cref="SqliteQueueOptions.LockDuration"/>. The lease token stays, so the dead delivery still counts and
    /// a message that died in its last allowed delivery is dead-lettered by the next receive.
    /// </summary>
    public async Task<int> ReleaseLeasesOfEarlierRunsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var released = await connection.Command(null, "UPDATE Queue SET VisibleAt = @Now WHERE LeaseToken IS NOT NULL AND VisibleAt > @Now")
            .With("@Now", UtcTicks.From(_time.GetUtcNow()))
            .ExecuteAndDisposeAsync(cancellationToken);
        if (released > 0)
        {
            Signal.Pulse();
        }
        return released;
    }
}

internal static class LeaseParameters
{
    public static SqliteCommand WithLease(this SqliteCommand command, QueueLease lease) => command
        .With("@Id", lease.Message.Id)
        .With("@Token", lease.LeaseToken);
}
