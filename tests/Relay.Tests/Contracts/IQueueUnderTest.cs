using Relay.Core.Queue;
using Relay.Sqlite;

namespace Relay.Tests.Contracts;

/// <summary>
/// A queue with a consumer side, as <see cref="CaseQueueContract"/> sees it. In Azure the Functions host
/// consumes from Service Bus, so there the consumer is the in-test broker's model of peek-lock, and leases
/// and dead letters use the embedded queue's records.
/// </summary>
public interface IQueueUnderTest : IAsyncDisposable
{
    ICaseQueue Sender { get; }

    Task<QueueLease?> ReceiveAsync(params string[] topics);

    Task<bool> CompleteAsync(QueueLease lease);

    Task<bool> AbandonAsync(QueueLease lease, string error);

    Task<bool> DeadLetterAsync(QueueLease lease, string reason);

    Task<DateTimeOffset?> NextVisibleAtAsync(params string[] topics);

    Task<IReadOnlyList<DeadLetter>> DeadLettersAsync();

    Task<int> CountAsync();

    /// <summary>Disposes this instance and opens a fresh one on the same storage, as a process restart would.</summary>
    Task<IQueueUnderTest> ReopenAsync();
}
