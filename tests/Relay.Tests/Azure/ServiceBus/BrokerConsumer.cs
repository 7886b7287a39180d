using Relay.Azure.ServiceBus;
using Relay.Core.Queue;
using Relay.Sqlite;
using Relay.TestServiceBus;

namespace Relay.Tests.Azure.ServiceBus;

/// <summary>
/// What the Functions host sees of the broker's queues: Service Bus peek-lock as it documents it. A message is
/// visible from its scheduled time, locked for the lock duration per delivery, back at once when abandoned or when
/// the lock expires, and dead-lettered when a delivery that reaches maxDeliveryCount fails. Not AMQP: in Azure the
/// receiving side is the host's, not Relay's, so only the sending side goes over the wire.
/// </summary>
public sealed class BrokerConsumer(BrokerQueues queues, SqliteQueueOptions options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, Locked> _state = [];
    private readonly List<DeadLetter> _deadLetters = [];
    private int _delivered;

    public Task<QueueLease?> ReceiveAsync(params string[] topics)
    {
        lock (_gate)
        {
            var now = queues.Time.GetUtcNow();
            var names = topics.Select(t => QueueBindings.ForTopic(t).QueueName).ToHashSet();
            foreach (var (sequence, queue, message) in queues.Accepted)
            {
                var state = _state.GetValueOrDefault(sequence) ?? new Locked(0, null, DateTimeOffset.MinValue);
                if (!names.Contains(queue) || state.Settled || (message.ScheduledEnqueueTime ?? now) > now || state.LockedUntil > now)
                {
                    continue;
                }
                if (state.Count >= options.MaxDeliveryCount)
                {
                    DeadLetterLocked(sequence, message, state.Count, "MaxDeliveryCountExceeded: the lock expired on the last delivery", now);
                    continue;
                }
                var lease = new QueueLease(ToQueueMessage(message), state.Count + 1, $"{sequence}:{++_delivered}", now + options.LockDuration);
                _state[sequence] = new Locked(lease.DeliveryCount, lease.LeaseToken, lease.LockedUntil);
                return Task.FromResult<QueueLease?>(lease);
            }
            return Task.FromResult<QueueLease?>(null);
        }
    }

    public Task<bool> CompleteAsync(QueueLease lease) => Settle(lease, (sequence, _, _) => _state[sequence] = _state[sequence] with { Settled = true });

    /// <summary>Service Bus redelivers an abandoned message at once; the host keeps no error with it.</summary>
    public Task<bool> AbandonAsync(QueueLease lease) => Settle(lease, (sequence, message, now) =>
    {
        if (lease.DeliveryCount >= options.MaxDeliveryCount)
        {
            DeadLetterLocked(sequence, message, lease.DeliveryCount, "MaxDeliveryCountExceeded", now);
            return;
        }
        _state[sequence] = _state[sequence] with { LockedUntil = DateTimeOffset.MinValue, Token = null };
    });

    public Task<bool> DeadLetterAsync(QueueLease lease, string reason) =>
        Settle(lease, (sequence, message, now) => DeadLetterLocked(sequence, message, lease.DeliveryCount, reason, now));

    public Task<DateTimeOffset?> NextVisibleAtAsync(params string[] topics)
    {
        lock (_gate)
        {
            var names = topics.Select(t => QueueBindings.ForTopic(t).QueueName).ToHashSet();
            var times = queues.Accepted
                .Where(a => names.Contains(a.Queue) && !(_state.GetValueOrDefault(a.Sequence)?.Settled ?? false))
                .Select(a => Max(a.Message.ScheduledEnqueueTime, _state.GetValueOrDefault(a.Sequence)?.LockedUntil))
                .ToList();
            return Task.FromResult(times.Count == 0 ? (DateTimeOffset?)null : times.Min());
        }
    }

    public Task<IReadOnlyList<DeadLetter>> DeadLettersAsync()
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DeadLetter>>([.. _deadLetters]);
        }
    }

    public Task<int> CountAsync()
    {
        lock (_gate)
        {
            return Task.FromResult(queues.Accepted.Count(a => !(_state.GetValueOrDefault(a.Sequence)?.Settled ?? false)));
        }
    }

    /// <summary>What the host hands the dispatcher, plus the schedule the sender set.</summary>
    public static QueueMessage ToQueueMessage(BrokerMessage message) =>
        new(message.MessageId!, message.Subject!, message.Body, message.ScheduledEnqueueTime);

    private Task<bool> Settle(QueueLease lease, Action<long, BrokerMessage, DateTimeOffset> settle)
    {
        lock (_gate)
        {
            var now = queues.Time.GetUtcNow();
            var sequence = long.Parse(lease.LeaseToken.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture);
            // A lock that expired is lost, as MessageLockLostException says, even before a redelivery takes it.
            if (_state.GetValueOrDefault(sequence) is not { Settled: false } state || state.Token != lease.LeaseToken || state.LockedUntil <= now)
            {
                return Task.FromResult(false);
            }
            settle(sequence, queues.Accepted.Single(a => a.Sequence == sequence).Message, now);
            return Task.FromResult(true);
        }
    }

    private void DeadLetterLocked(long sequence, BrokerMessage message, int count, string reason, DateTimeOffset now)
    {
        _state[sequence] = new Locked(count, null, DateTimeOffset.MinValue) { Settled = true };
        _deadLetters.Add(new DeadLetter(ToQueueMessage(message), count, reason, now));
    }

    private static DateTimeOffset Max(DateTimeOffset? a, DateTimeOffset? b) =>
        (a ?? DateTimeOffset.MinValue) > (b ?? DateTimeOffset.MinValue) ? a!.Value : b ?? DateTimeOffset.MinValue;

    private sealed record Locked(int Count, string? Token, DateTimeOffset LockedUntil)
    {
        public bool Settled { get; init; }
    }
}
