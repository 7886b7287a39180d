using Microsoft.Data.Sqlite;
using Relay.Core.Queue;

namespace Relay.Sqlite;

/// <summary>
/// A durable at-least-once queue in the SQLite file: delayed delivery, leases that expire into
/// redelivery, exponential backoff and dead letters. Settling is in <c>SqliteQueue.Settle.cs</c>.
/// </summary>
public sealed partial class SqliteQueue : ICaseQueue
{
    private const string ExpiredLastLease = "MaxDeliveryCountExceeded: the lease of the last delivery expired";

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;

    public SqliteQueue(SqliteDatabase database, TimeProvider time, SqliteQueueOptions? options = null)
    {
        _database = database;
        _time = time;
        Options = options ?? new SqliteQueueOptions();
        Options.Validate();
    }

    public SqliteQueueOptions Options { get; }

    internal WorkSignal Signal => _database.QueueSignal;

    public async Task EnqueueAsync(QueueMessage message, CancellationToken cancellationToken = default)
    {
        await using (var connection = await _database.OpenConnectionAsync(cancellationToken))
        {
            await QueueRows.InsertAsync(connection, null, message, _time.GetUtcNow(), cancellationToken);
        }
        Signal.Pulse();
    }

    /// <summary>
    /// Leases the message of <paramref name="topics"/> that has been visible longest (in the order sent, for messages sent
    /// without a delay), or returns null when none is due.
    /// The delivery count goes up on receive, so a handler that crashes still used up a delivery.
    /// </summary>
    public async Task<QueueLease?> ReceiveAsync(IReadOnlyCollection<string> topics, CancellationToken cancellationToken = default)
    {
        if (topics.Count == 0)
        {
            return null;
        }
        var now = _time.GetUtcNow();
        var lockedUntil = now + Options.LockDuration;
        var token = Guid.NewGuid().ToString("N");
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var (visible, expired) = await WhatToDoAsync(connection, topics, now, cancellationToken);
        if (!visible && !expired)
        {
            return null;
        }
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (expired)
        {
            await DeadLetterExpiredLastDeliveriesAsync(connection, transaction, now, cancellationToken);
        }
        await using var command = connection.Command(transaction, "");
        command.CommandText = $"""
            UPDATE Queue
               SET DeliveryCount = DeliveryCount + 1, LeaseToken = @Token, VisibleAt = @LockedUntil
             WHERE Seq = (SELECT Seq FROM ({FirstVisibleOfEach(command, topics)}) ORDER BY VisibleAt, Seq LIMIT 1)
            RETURNING {QueueRows.MessageColumns}, DeliveryCount
            """;
        command.With("@Token", token).With("@LockedUntil", UtcTicks.From(lockedUntil)).With("@Now", UtcTicks.From(now));
        QueueLease? lease = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                lease = new QueueLease(QueueRows.ReadMessage(reader), reader.GetInt32(4), token, lockedUntil);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return lease;
    }

    /// <summary>
    /// The first visible message of each topic, each found by one seek in <c>Queue_ByTopicVisible</c>. Ordering all the
    /// topics' visible messages by <c>Seq</c> sorted every one of them on every receive, so draining a backlog took time
    /// in proportion to its square (figure 5: 13 ms a message with 75,000 waiting).
    /// </summary>
    private static string FirstVisibleOfEach(SqliteCommand command, IReadOnlyCollection<string> topics) => string.Join(" UNION ALL ",
        topics.Select((topic, i) =>
        {
            command.Parameters.AddWithValue($"@t{i}", topic);
            return $"SELECT * FROM (SELECT Seq, VisibleAt FROM Queue WHERE Topic = @t{i} AND VisibleAt <= @Now ORDER BY VisibleAt, Seq LIMIT 1)";
        }));

    /// <summary>When the next message of these topics becomes receivable (now or earlier if one is waiting), or null if none is queued.</summary>
    public async Task<DateTimeOffset?> NextVisibleAtAsync(IReadOnlyCollection<string> topics, CancellationToken cancellationToken = default)
    {
        if (topics.Count == 0)
        {
            return null;
        }
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null, "");
        command.CommandText = $"SELECT min(VisibleAt) FROM Queue WHERE Topic IN ({command.WithList("t", topics)})";
        return await command.ExecuteScalarAsync(cancellationToken) is long ticks ? UtcTicks.ToTime(ticks) : null;
    }

    /// <summary>Messages still queued: waiting, delayed or leased.</summary>
    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return (int)await connection.Int64Async(null, "SELECT count(*) FROM Queue", cancellationToken);
    }

    /// <summary>Oldest first.</summary>
    public async Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null, $"""
            SELECT {QueueRows.MessageColumns}, DeliveryCount, Reason, DeadLetteredAt
              FROM DeadLetters ORDER BY Seq LIMIT @Limit
            """)
            .With("@Limit", limit);
        var letters = new List<DeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            letters.Add(new DeadLetter(QueueRows.ReadMessage(reader), reader.GetInt32(4), reader.GetString(5),
                UtcTicks.ToTime(reader.GetInt64(6))));
        }
        return letters;
    }

    /// <summary>
    /// What a receive has to write: is a message visible, has a last delivery's lease run out? A read, so a worker finding
    /// the queue empty never takes the write lock: when it did, a receive that met a report's commit waited in SQLite's
    /// busy handler, which sleeps in steps of a millisecond or more, on the path to the case room. The dead-lettering
    /// statements run only when there is something to dead-letter.
    /// </summary>
    private async Task<(bool Visible, bool Expired)> WhatToDoAsync(SqliteConnection connection, IReadOnlyCollection<string> topics,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(null, "");
        command.CommandText = $"""
            SELECT EXISTS (SELECT 1 FROM Queue WHERE Topic IN ({command.WithList("t", topics)}) AND VisibleAt <= @Now),
                   EXISTS (SELECT 1 FROM Queue WHERE LeaseToken IS NOT NULL AND VisibleAt <= @Now AND DeliveryCount >= @Max)
            """;
        command.With("@Now", UtcTicks.From(now)).With("@Max", Options.MaxDeliveryCount);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0) == 1, reader.GetInt64(1) == 1);
    }

    /// <summary>
    /// A handler that died during the last allowed delivery never abandons, so its message would be
    /// delivered once too often; Service Bus dead-letters it when the lock expires, and so does this.
    /// </summary>
    private async Task DeadLetterExpiredLastDeliveriesAsync(SqliteConnection connection, SqliteTransaction transaction,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, $"""
            INSERT INTO DeadLetters ({QueueRows.MessageColumns}, EnqueuedAt, DeliveryCount, Reason, DeadLetteredAt)
            SELECT {QueueRows.MessageColumns}, EnqueuedAt, DeliveryCount, @Reason, @Now FROM Queue
             WHERE LeaseToken IS NOT NULL AND VisibleAt <= @Now AND DeliveryCount >= @Max;
            DELETE FROM Queue WHERE LeaseToken IS NOT NULL AND VisibleAt <= @Now AND DeliveryCount >= @Max;
            """)
            .With("@Reason", ExpiredLastLease)
            .With("@Now", UtcTicks.From(now))
            .With("@Max", Options.MaxDeliveryCount);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
