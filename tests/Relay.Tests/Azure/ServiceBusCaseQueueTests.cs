using Azure.Messaging.ServiceBus;
using Azure;
using Microsoft.Extensions.Time.Testing;
using Relay.Azure.ServiceBus;
using Relay.Core.Queue;
using Relay.TestServiceBus;

namespace Relay.Tests.Azure;

/// <summary>The SDK sender against <see cref="TestServiceBusBroker"/>: real AMQP on loopback, failures injected.</summary>
public sealed class ServiceBusCaseQueueTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly TestServiceBusBroker _broker;
    private readonly List<IAsyncDisposable> _owned = [];

    public ServiceBusCaseQueueTests() => _broker = new TestServiceBusBroker(_time);

    [Fact]
    public async Task Sends_to_the_topic_queue_with_the_message_id_subject_and_body_after_a_cbs_token()
    {
        var message = new QueueMessage("report.received:01J0000000000000000000000A", Topics.ReportReceived, """{"case_id":"c","report_id":"r"}""");

        await Sender().EnqueueAsync(message);

        var (_, queue, sent) = Assert.Single(_broker.Queues.Accepted);
        Assert.Equal("report-received", queue);
        Assert.Equal(new BrokerMessage(message.Id, Topics.ReportReceived, "application/json;charset=utf-8", message.Body, null), sent);
        var (type, audience) = Assert.Single(_broker.Tokens);
        Assert.Equal("servicebus.windows.net:sastoken", type);
        Assert.EndsWith("/report-received", audience, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotBefore_becomes_the_scheduled_enqueue_time_rounded_up_to_the_millisecond()
    {
        var due = new DateTimeOffset(2026, 3, 1, 12, 30, 0, TimeSpan.Zero).AddTicks(3);

        await Sender().EnqueueAsync(new QueueMessage("case.due:x:2", Topics.CaseDue, "{}", due));

        var sent = Assert.Single(_broker.Queues.In("case-due"));
        Assert.Equal(due.AddTicks(-3).AddMilliseconds(1), sent.ScheduledEnqueueTime);
    }

    [Fact]
    public void A_whole_millisecond_is_not_rounded() =>
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 30, 0, 7, TimeSpan.Zero),
            ServiceBusCaseQueue.RoundedUpToMillisecond(new DateTimeOffset(2026, 3, 1, 13, 30, 0, 7, TimeSpan.FromHours(1))));

    [Fact]
    public async Task A_resend_of_the_same_id_within_the_duplicate_window_is_dropped()
    {
        var sender = Sender();
        await sender.EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, "original"));

        await sender.EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, "resent"));
        _time.Advance(TimeSpan.FromHours(1));
        await sender.EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, "much later"));

        Assert.Equal(["original", "much later"], _broker.Queues.In("report-received").Select(m => m.Body));
        Assert.Equal(1, _broker.Queues.Duplicates);
    }

    [Fact]
    public async Task One_connection_serves_every_queue_with_one_token_per_queue()
    {
        var sender = Sender();

        await sender.EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, "{}"));
        await sender.EnqueueAsync(new QueueMessage("m-2", Topics.ReportReceived, "{}"));
        await sender.EnqueueAsync(new QueueMessage("d-1", Topics.CaseDue, "{}"));

        Assert.Equal(3, _broker.Queues.Accepted.Count);
        Assert.Equal(1, _broker.ConnectionsAccepted);
        Assert.Equal(2, _broker.Tokens.Count);
    }

    [Fact]
    public async Task A_dropped_connection_is_retried_on_a_new_one_and_the_message_is_sent_once()
    {
        var sender = Sender();
        await sender.EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, "{}"));
        _broker.Inject(BrokerFault.DropConnection);

        await sender.EnqueueAsync(new QueueMessage("m-2", Topics.ReportReceived, "{}"));

        Assert.Equal(["m-1", "m-2"], _broker.Queues.In("report-received").Select(m => m.MessageId));
        Assert.Equal(2, _broker.ConnectionsAccepted);
    }

    [Fact]
    public async Task Server_busy_past_the_retries_fails_as_503()
    {
        _broker.Inject(BrokerFault.ServerBusy);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Sender(maxRetries: 0).EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, "{}")));

        Assert.Equal(503, error.Status);
        Assert.Equal(nameof(ServiceBusFailureReason.ServiceBusy), error.ErrorCode);
        Assert.Empty(_broker.Queues.Accepted);
    }

    [Fact]
    public async Task A_message_the_queue_refuses_as_not_found_fails_as_404_without_retrying()
    {
        _broker.Inject(BrokerFault.EntityNotFound, BrokerFault.EntityNotFound);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Sender().EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, "{}")));

        Assert.Equal(404, error.Status);
        Assert.Contains("deploy infra-bicep", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _broker.ConnectionsAccepted);
    }

    [Fact]
    public async Task A_queue_that_does_not_exist_fails_as_404_and_the_others_still_send()
    {
        _broker.DeleteQueue("case-due");
        var sender = Sender();

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            sender.EnqueueAsync(new QueueMessage("d-1", Topics.CaseDue, "{}")));
        await sender.EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, "{}"));

        Assert.Equal(404, error.Status);
        Assert.Equal("report-received", Assert.Single(_broker.Queues.Accepted).Queue);
    }

    [Fact]
    public async Task A_refused_token_fails_as_401_naming_the_role()
    {
        _broker.RefuseTokens = true;

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Sender().EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, "{}")));

        Assert.Equal(401, error.Status);
        Assert.Contains("Azure Service Bus Data Sender", error.Message, StringComparison.Ordinal);
        Assert.Empty(_broker.Queues.Accepted);
    }

    [Fact]
    public async Task Unknown_topic_is_refused_before_connecting()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Sender().EnqueueAsync(new QueueMessage("m-1", "no.such.topic", "{}")));

        Assert.Equal(0, _broker.ConnectionsAccepted);
    }

    [Fact]
    public void Message_ids_longer_than_Service_Bus_allows_stay_unique_within_128_characters()
    {
        var longId = "case.due:" + new string('x', 200);
        var id = ServiceBusCaseQueue.MessageIdFor(longId);

        Assert.Equal(128, id.Length);
        Assert.NotEqual(id, ServiceBusCaseQueue.MessageIdFor(longId + "y"));
        Assert.Equal("short", ServiceBusCaseQueue.MessageIdFor("short"));
    }

    [Fact]
    public void Every_topic_has_a_queue() =>
        Assert.Equal(["report-received", "case-due"], new[] { Topics.ReportReceived, Topics.CaseDue }
            .Select(t => QueueBindings.ForTopic(t).QueueName));

    private ServiceBusCaseQueue Sender(int maxRetries = 3)
    {
        var client = _broker.Client(maxRetries);
        var sender = new ServiceBusCaseQueue(client);
        _owned.Add(sender);
        _owned.Add(client);
        return sender;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
        await _broker.DisposeAsync();
    }
}
