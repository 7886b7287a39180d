using Microsoft.Extensions.Time.Testing;
using Relay.Core.Queue;
using Relay.Sqlite;

namespace Relay.Tests.Contracts;

/// <summary>
/// At-least-once delivery: duplicates dropped by id, delays honoured, leases that expire into
/// redelivery, dead letters, durability. Time only moves when a test moves it. Run against the embedded
/// queue and against Service Bus (the SDK sender into the in-test broker); what differs between them by
/// design (the embedded queue's backoff, and what it keeps of an error) is tested with each.
/// Failure handling is in <c>CaseQueueContract.Failures.cs</c>.
/// </summary>
public abstract partial class CaseQueueContract
{
    protected const string Topic = Topics.ReportReceived;

    protected static readonly SqliteQueueOptions Options = new()
    {
        MaxDeliveryCount = 3,
        LockDuration = TimeSpan.FromMinutes(5),
        BackoffBase = TimeSpan.FromSeconds(2),
        BackoffCap = TimeSpan.FromSeconds(5),
    };

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    protected abstract Task<IQueueUnderTest> CreateQueueAsync(SqliteQueueOptions options);

    /// <summary>The delay a queue keeps for a requested one: exact here, coarser where the wire format is.</summary>
    protected virtual DateTimeOffset? AsScheduled(DateTimeOffset? notBefore) => notBefore;

    protected static QueueMessage Message(string id, string body = """{"case_id":"x"}""", DateTimeOffset? notBefore = null) =>
        new(id, Topic, body, notBefore);

    [Fact]
    public async Task Enqueued_message_is_received_once_and_completed()
    {
        await using var queue = await CreateQueueAsync(Options);
        var message = Message("m-1");
        await queue.Sender.EnqueueAsync(message);

        var lease = await queue.ReceiveAsync(Topic);

        Assert.NotNull(lease);
        Assert.Equal(message, lease.Message);
        Assert.Equal(1, lease.DeliveryCount);
        Assert.Null(await queue.ReceiveAsync(Topic));
        Assert.True(await queue.CompleteAsync(lease));
        Assert.Equal(0, await queue.CountAsync());
        Time.Advance(Options.LockDuration * 2);
        Assert.Null(await queue.ReceiveAsync(Topic));
        Assert.Null(await queue.NextVisibleAtAsync(Topic));
    }

    [Fact]
    public async Task Messages_are_received_oldest_first_and_only_for_the_asked_topics()
    {
        await using var queue = await CreateQueueAsync(Options);
        await queue.Sender.EnqueueAsync(Message("m-1"));
        await queue.Sender.EnqueueAsync(new QueueMessage("due-1", Topics.CaseDue, "{}"));
        await queue.Sender.EnqueueAsync(Message("m-2"));

        Assert.Equal("m-1", (await queue.ReceiveAsync(Topic))?.Message.Id);
        Assert.Equal("m-2", (await queue.ReceiveAsync(Topic))?.Message.Id);
        Assert.Null(await queue.ReceiveAsync(Topic));
        Assert.Equal("due-1", (await queue.ReceiveAsync(Topic, Topics.CaseDue))?.Message.Id);
    }

    [Fact]
    public async Task Duplicate_id_is_ignored()
    {
        await using var queue = await CreateQueueAsync(Options);
        await queue.Sender.EnqueueAsync(Message("m-1", "original"));

        await queue.Sender.EnqueueAsync(Message("m-1", "duplicate"));

        Assert.Equal(1, await queue.CountAsync());
        var lease = await queue.ReceiveAsync(Topic);
        Assert.Equal("original", lease!.Message.Body);
    }

    [Fact]
    public async Task Delayed_message_is_invisible_until_due()
    {
        await using var queue = await CreateQueueAsync(Options);
        var due = Time.GetUtcNow().AddMinutes(10);
        await queue.Sender.EnqueueAsync(Message("later", notBefore: due));
        await queue.Sender.EnqueueAsync(Message("past", notBefore: Time.GetUtcNow().AddMinutes(-1)));

        var past = await queue.ReceiveAsync(Topic);
        Assert.Equal("past", past?.Message.Id);
        await queue.CompleteAsync(past!);
        Assert.Null(await queue.ReceiveAsync(Topic));
        Assert.Equal(due, await queue.NextVisibleAtAsync(Topic));
        Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        Assert.Null(await queue.ReceiveAsync(Topic));
        Time.Advance(TimeSpan.FromTicks(1));
        var lease = await queue.ReceiveAsync(Topic);
        Assert.Equal(Message("later", notBefore: due), lease?.Message);
    }

    [Fact]
    public async Task Expired_lease_makes_message_visible_again()
    {
        await using var queue = await CreateQueueAsync(Options);
        await queue.Sender.EnqueueAsync(Message("m-1"));
        var crashed = await queue.ReceiveAsync(Topic);
        Assert.Equal(Time.GetUtcNow() + Options.LockDuration, await queue.NextVisibleAtAsync(Topic));

        Time.Advance(Options.LockDuration - TimeSpan.FromTicks(1));
        Assert.Null(await queue.ReceiveAsync(Topic));
        Time.Advance(TimeSpan.FromTicks(1));
        var redelivered = await queue.ReceiveAsync(Topic);

        Assert.NotNull(redelivered);
        Assert.Equal(2, redelivered.DeliveryCount);
        Assert.False(await queue.CompleteAsync(crashed!));
        Assert.True(await queue.CompleteAsync(redelivered));
        Assert.Equal(0, await queue.CountAsync());
    }

    [Fact]
    public async Task Messages_survive_restart()
    {
        var queue = await CreateQueueAsync(Options);
        var waiting = Message("waiting", "body-1");
        var inFlight = Message("in-flight", "body-2");
        var delayed = Message("delayed", "body-3", Time.GetUtcNow().AddHours(1).AddTicks(5));
        await queue.Sender.EnqueueAsync(inFlight);
        await queue.Sender.EnqueueAsync(waiting);
        await queue.Sender.EnqueueAsync(delayed);
        Assert.Equal("in-flight", (await queue.ReceiveAsync(Topic))?.Message.Id);

        await using var restarted = await queue.ReopenAsync();

        Assert.Equal(3, await restarted.CountAsync());
        var first = await restarted.ReceiveAsync(Topic);
        Assert.Equal(waiting, first?.Message);
        await restarted.CompleteAsync(first!);
        Time.Advance(Options.LockDuration);
        var again = await restarted.ReceiveAsync(Topic);
        Assert.Equal((inFlight, 2), (again?.Message, again?.DeliveryCount));
        await restarted.CompleteAsync(again!);
        Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(delayed with { NotBefore = AsScheduled(delayed.NotBefore) }, (await restarted.ReceiveAsync(Topic))?.Message);
    }
}
