using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core;
using Relay.Tests.Harness;

namespace Relay.Tests.Hosting;

public sealed class HealthTests
{
    [Fact]
    public async Task Root_answers_200_for_the_functions_host_readiness_probe()
    {
        await using var relay = await RelayHarness.StartAsync();
        var response = await relay.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_names_the_embedded_store_and_queue()
    {
        await using var relay = await RelayHarness.StartAsync();
        var response = await relay.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("ok", (string?)body["status"]);
        Assert.Equal("sqlite", (string?)body["store"]);
        Assert.Equal("embedded", (string?)body["queue"]);
    }

    [Fact]
    public async Task Healthz_answers_503_when_the_store_is_unreachable()
    {
        await using var relay = await RelayHarness.StartAsync(services: s => s.AddSingleton<IStoreHealth>(new UnreachableStore()));
        var response = await relay.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("sqlite", (string?)body["store"]);
        Assert.NotEqual("ok", (string?)body["status"]);
    }

    private sealed class UnreachableStore : IStoreHealth
    {
        public string StoreName => "sqlite";

        public string QueueName => "embedded";

        public Task<bool> IsReachableAsync(CancellationToken cancellationToken = default) =>
            Task.FromException<bool>(new IOException("disk gone"));
    }
}
