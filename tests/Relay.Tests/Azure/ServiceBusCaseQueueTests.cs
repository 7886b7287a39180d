using System.Text.Json;
using Azure;
using Relay.Azure.ServiceBus;
using Relay.Core.Queue;

namespace Relay.Tests.Azure;

public sealed class ServiceBusCaseQueueTests : IAsyncLifetime
{
    private readonly StaticTokenCredential _credential = new("test-token");
    private FakeServiceBus _bus = null!;

    public async Task InitializeAsync() => _bus = await FakeServiceBus.StartAsync();

    public async Task DisposeAsync() => await _bus.DisposeAsync();

    [Fact]
    public async Task Sends_the_documented_request_with_a_bearer_token_and_the_message_id()
    {
        var message = new QueueMessage("report.received:01J0000000000000000000000A", Topics.ReportReceived, """{"case_id":"c","report_id":"r"}""");

        await _bus.Sender(_credential).EnqueueAsync(message);

        var sent = Assert.Single(_bus.Requests);
        Assert.Equal(("POST", "/report-received/messages", "Bearer test-token"), (sent.Method, sent.Path, sent.Authorization));
        Assert.StartsWith("application/json", sent.ContentType, StringComparison.Ordinal);
        Assert.Equal(message.Body, sent.Body);
        using var properties = JsonDocument.Parse(sent.BrokerProperties);
        Assert.Equal(message.Id, properties.RootElement.GetProperty("MessageId").GetString());
        Assert.Equal(Topics.ReportReceived, properties.RootElement.GetProperty("Label").GetString());
        Assert.False(properties.RootElement.TryGetProperty("ScheduledEnqueueTimeUtc", out _));
        Assert.Equal(["https://servicebus.azure.net/.default"], _credential.Scopes.Distinct());
    }

    [Fact]
    public async Task NotBefore_is_scheduled_in_RFC1123_rounded_up_to_the_second_on_the_topic_queue()
    {
        var due = new DateTimeOffset(2026, 3, 1, 12, 30, 0, TimeSpan.Zero).AddTicks(3);
        var message = new QueueMessage("case.due:x:2", Topics.CaseDue, "{}", due);

        await _bus.Sender(_credential).EnqueueAsync(message);

        var sent = Assert.Single(_bus.Requests);
        Assert.Equal("/case-due/messages", sent.Path);
        using var properties = JsonDocument.Parse(sent.BrokerProperties);
        Assert.Equal("Sun, 01 Mar 2026 12:30:01 GMT", properties.RootElement.GetProperty("ScheduledEnqueueTimeUtc").GetString());
    }

    [Fact]
    public void A_whole_second_is_not_rounded() =>
        Assert.Equal("Sun, 01 Mar 2026 12:30:00 GMT",
            ServiceBusCaseQueue.Rfc1123RoundedUp(new DateTimeOffset(2026, 3, 1, 13, 30, 0, TimeSpan.FromHours(1))));

    [Fact]
    public async Task Throttling_and_server_busy_are_retried_until_created()
    {
        _bus.Answer(429, 503, 500);

        await _bus.Sender(_credential).EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, "{}"));

        Assert.Equal(4, _bus.Requests.Count);
        Assert.All(_bus.Requests, r => Assert.Contains("\"MessageId\":\"m-1\"", r.BrokerProperties, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unauthorized_fails_at_once_naming_the_role()
    {
        _bus.Answer(401);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            _bus.Sender(_credential).EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, "{}")));

        Assert.Equal(401, error.Status);
        Assert.Contains("Azure Service Bus Data Sender", error.Message, StringComparison.Ordinal);
        Assert.Single(_bus.Requests);
    }

    [Fact]
    public async Task Persistent_outage_fails_after_the_retries()
    {
        _bus.Answer(503, 503, 503);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            _bus.Sender(_credential, maxRetries: 2).EnqueueAsync(new QueueMessage("m-1", Topics.ReportReceived, "{}")));

        Assert.Equal(503, error.Status);
        Assert.Equal(3, _bus.Requests.Count);
    }

    [Fact]
    public async Task Unknown_topic_is_refused_before_sending()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            _bus.Sender(_credential).EnqueueAsync(new QueueMessage("m-1", "no.such.topic", "{}")));

        Assert.Empty(_bus.Requests);
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
}
