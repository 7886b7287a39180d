using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Relay.Core.Queue;
using Relay.Core.Reports;
using Relay.Core.Sweep;
using Relay.Host.Functions;
using Relay.Tests.Contracts;

namespace Relay.Tests.Azure;

/// <summary>The non-HTTP functions as the Functions host invokes a custom handler: POST /{FunctionName} with Data and Metadata.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class FunctionTriggerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Body = """{"case_id":"01J00000000000000000000000","report_id":"01J00000000000000000000001","opened_case":true}""";

    private readonly TopicRecorder _opened = new(Topics.ReportReceived);
    private readonly TopicRecorder _due = new(Topics.CaseDue);
    private readonly CountingSweepPart _sweep = new();
    private AzureRelayApp _relay = null!;

    public async Task InitializeAsync() => _relay = await AzureRelayApp.StartAsync(azurite, services =>
    {
        // Recorders in place of the real handlers (case rooms), which need a homeserver.
        services.RemoveAll<IQueueHandler>();
        services.AddSingleton<IQueueHandler>(_opened);
        services.AddSingleton<IQueueHandler>(_due);
        services.AddSingleton<ISweepPart>(_sweep);
    });

    public async Task DisposeAsync() => await _relay.DisposeAsync();

    public static TheoryData<string> Encodings => ["object", "string", "string twice"];

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Service_bus_message_reaches_the_handler_however_the_host_encoded_it(string encoding)
    {
        JsonNode value = encoding switch
        {
            "object" => JsonNode.Parse(Body)!,
            "string" => JsonValue.Create(Body),
            _ => JsonValue.Create(JsonSerializer.Serialize(Body)),
        };
        JsonNode messageId = encoding == "string twice"
            ? JsonValue.Create(JsonSerializer.Serialize("report.received:r1"))
            : JsonValue.Create("report.received:r1");
        JsonNode deliveryCount = encoding == "object" ? JsonValue.Create(2) : JsonValue.Create("2");
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["message"] = value },
            ["Metadata"] = new JsonObject { ["MessageId"] = messageId, ["DeliveryCount"] = deliveryCount, ["sys"] = new JsonObject { ["MethodName"] = "OpenCase" } },
        };

        var response = await InvokeAsync("OpenCase", payload.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"Outputs":{},"Logs":[],"ReturnValue":null}""", await response.Content.ReadAsStringAsync());
        var delivery = Assert.Single(_opened.Deliveries);
        Assert.Equal(new QueueDelivery(new QueueMessage("report.received:r1", Topics.ReportReceived, Body), 2, false), delivery);
    }

    [Fact]
    public async Task Whole_payload_encoded_as_a_string_is_read_too()
    {
        var inner = """{"Data":{"msg":""" + JsonSerializer.Serialize(Body) + """},"Metadata":{"MessageId":"m-1","DeliveryCount":1}}""";
        var payload = JsonSerializer.Serialize(inner);

        var response = await InvokeAsync("OpenCase", payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Body, Assert.Single(_opened.Deliveries).Message.Body);
    }

    [Fact]
    public async Task Delivery_at_the_max_delivery_count_is_the_last_attempt()
    {
        await InvokeAsync("CaseDue", """{"Data":{"message":"{}"},"Metadata":{"MessageId":"case.due:x","DeliveryCount":5}}""");

        var delivery = Assert.Single(_due.Deliveries);
        Assert.Equal((Topics.CaseDue, 5, true), (delivery.Message.Topic, delivery.DeliveryCount, delivery.IsLastAttempt));
        Assert.Empty(_opened.Deliveries);
    }

    [Fact]
    public async Task Failing_handler_fails_the_invocation_so_Service_Bus_redelivers()
    {
        _opened.Fail = true;

        var response = await InvokeAsync("OpenCase", """{"Data":{"message":"{}"},"Metadata":{"MessageId":"m-1","DeliveryCount":1}}""");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("InvalidOperationException", result.RootElement.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret reason", result.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"Something":"else"}""")]
    public async Task Unreadable_invocation_is_a_bad_request(string body)
    {
        var response = await InvokeAsync("OpenCase", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_opened.Deliveries);
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, "X-Forwarded-For")]
    [InlineData(true, "X-ARR-LOG-ID")]
    public async Task Outside_requests_proxied_to_a_trigger_path_are_not_found(bool withInvocationId, string? forwardedHeader)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/OpenCase")
        {
            Content = new StringContent("""{"Data":{"message":"{}"},"Metadata":{}}""", Encoding.UTF8, "application/json"),
        };
        if (withInvocationId)
        {
            request.Headers.Add(FunctionTriggerEndpoints.InvocationIdHeader, Guid.NewGuid().ToString());
        }
        if (forwardedHeader is not null)
        {
            request.Headers.Add(forwardedHeader, "203.0.113.7");
        }

        var response = await _relay.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("M_UNRECOGNIZED", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_opened.Deliveries);
    }

    [Fact]
    public async Task Timer_runs_every_sweep_part()
    {
        var response = await InvokeAsync("Sweep", """{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"IsPastDue":false}},"Metadata":{}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _sweep.Runs);
    }

    [Fact]
    public async Task Timer_requeues_the_deadline_of_an_overdue_case_so_a_lost_message_cannot_stall_it()
    {
        var samples = new ReportSamples(TimeProvider.System);
        var overdue = samples.Commit(null, samples.EventTarget(), ReportSamples.Hash('a'),
            adjust: c => c with { NextDueAt = DateTimeOffset.UtcNow.AddMinutes(-5) });
        await _relay.App.Services.GetRequiredService<IReportStore>().CommitAsync(overdue);

        var response = await InvokeAsync("Sweep", """{"Data":{"timer":{}},"Metadata":{}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var due = Assert.Single(_relay.Queue.Queued, m => m.Topic == Topics.CaseDue);
        Assert.Contains(overdue.Case.Id.Value, due.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failing_sweep_part_fails_the_timer_after_the_others_ran()
    {
        _sweep.Fail = true;

        var response = await InvokeAsync("Sweep", """{"Data":{"timer":{}},"Metadata":{}}""");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(1, _sweep.Runs);
    }

    [Fact]
    public async Task Matrix_routes_and_health_answer_beside_the_triggers()
    {
        var health = await _relay.Client.GetStringAsync("/healthz");
        var unknown = await _relay.Client.GetAsync("/_matrix/client/v3/nope");

        Assert.Equal("""{"status":"ok","store":"table-storage","queue":"service-bus"}""", health);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _relay.Client.GetAsync("/")).StatusCode);
    }

    private async Task<HttpResponseMessage> InvokeAsync(string function, string payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + function)
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(FunctionTriggerEndpoints.InvocationIdHeader, Guid.NewGuid().ToString());
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1040.0");
        return await _relay.Client.SendAsync(request);
    }

    private sealed class TopicRecorder(string topic) : IQueueHandler
    {
        public List<QueueDelivery> Deliveries { get; } = [];

        public bool Fail { get; set; }

        public string Topic => topic;

        public Task HandleAsync(QueueDelivery delivery, CancellationToken cancellationToken)
        {
            Deliveries.Add(delivery);
            return Fail ? throw new InvalidOperationException("secret reason") : Task.CompletedTask;
        }
    }

    private sealed class CountingSweepPart : ISweepPart
    {
        public int Runs { get; private set; }

        public bool Fail { get; set; }

        public string Name => "test";

        public Task<int> SweepAsync(CancellationToken cancellationToken)
        {
            Runs++;
            return Fail ? throw new TimeoutException() : Task.FromResult(0);
        }
    }
}
