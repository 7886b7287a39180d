using Azure.Messaging.ServiceBus;
using Relay.Azure.ServiceBus;
using Relay.Core.Queue;
using Relay.Sqlite;
using Relay.TestServiceBus;
using Relay.Tests.Contracts;

namespace Relay.Tests.Azure.ServiceBus;

/// <summary>The SDK sender over AMQP into the broker, and the broker's peek-lock consumer behind it.</summary>
internal sealed class BrokerQueueUnderTest : IQueueUnderTest
{
    private readonly TestServiceBusBroker _broker;
    private readonly BrokerConsumer _consumer;
    private readonly ServiceBusClient _client;
    private readonly ServiceBusCaseQueue _sender;

    public BrokerQueueUnderTest(TestServiceBusBroker broker, BrokerConsumer consumer)
    {
        _broker = broker;
        _consumer = consumer;
        _client = broker.Client();
        _sender = new ServiceBusCaseQueue(_client);
    }

    public ICaseQueue Sender => _sender;

    public Task<QueueLease?> ReceiveAsync(params string[] topics) => _consumer.ReceiveAsync(topics);

    public Task<bool> CompleteAsync(QueueLease lease) => _consumer.CompleteAsync(lease);

    public Task<bool> AbandonAsync(QueueLease lease, string error) => _consumer.AbandonAsync(lease);

    public Task<bool> DeadLetterAsync(QueueLease lease, string reason) => _consumer.DeadLetterAsync(lease, reason);

    public Task<DateTimeOffset?> NextVisibleAtAsync(params string[] topics) => _consumer.NextVisibleAtAsync(topics);

    public Task<IReadOnlyList<DeadLetter>> DeadLettersAsync() => _consumer.DeadLettersAsync();

    public Task<int> CountAsync() => _consumer.CountAsync();

    /// <summary>A new process: a new client, connection and token; the namespace keeps its messages.</summary>
    public async Task<IQueueUnderTest> ReopenAsync()
    {
        await DisposeAsync();
        return new BrokerQueueUnderTest(_broker, _consumer);
    }

    public async ValueTask DisposeAsync()
    {
        await _sender.DisposeAsync();
        await _client.DisposeAsync();
    }
}

/// <summary>The queue contract with Service Bus's semantics: the SDK sends over AMQP, the broker keeps and delivers.</summary>
public sealed class ServiceBusQueueContractTests : CaseQueueContract, IAsyncDisposable
{
    private readonly TestServiceBusBroker _broker;

    public ServiceBusQueueContractTests() => _broker = new TestServiceBusBroker(Time);

    /// <summary>AMQP timestamps carry milliseconds; the sender rounds up so nothing fires early.</summary>
    protected override DateTimeOffset? AsScheduled(DateTimeOffset? notBefore) =>
        notBefore is { } due ? ServiceBusCaseQueue.RoundedUpToMillisecond(due) : null;

    protected override Task<IQueueUnderTest> CreateQueueAsync(SqliteQueueOptions options) =>
        Task.FromResult<IQueueUnderTest>(new BrokerQueueUnderTest(_broker, new BrokerConsumer(_broker.Queues, options)));

    [Fact]
    public async Task Abandoned_message_is_redelivered_at_once_and_dead_lettered_at_max_delivery_count()
    {
        await using var queue = await CreateQueueAsync(Options);
        await queue.Sender.EnqueueAsync(Message("m-1"));

        for (var delivery = 1; delivery <= Options.MaxDeliveryCount; delivery++)
        {
            var lease = await queue.ReceiveAsync(Topic);
            Assert.Equal(delivery, lease?.DeliveryCount);
            Assert.True(await queue.AbandonAsync(lease!, "boom"));
        }

        Assert.Null(await queue.ReceiveAsync(Topic));
        var letter = Assert.Single(await queue.DeadLettersAsync());
        Assert.Equal((Message("m-1"), Options.MaxDeliveryCount, "MaxDeliveryCountExceeded"),
            (letter.Message, letter.DeliveryCount, letter.Reason));
    }

    public ValueTask DisposeAsync() => _broker.DisposeAsync();
}
