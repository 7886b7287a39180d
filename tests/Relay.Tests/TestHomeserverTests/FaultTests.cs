using System.Text.Json;
using Relay.TestHomeserver;
using Homeserver = Relay.TestHomeserver.TestHomeserver;

namespace Relay.Tests.TestHomeserverTests;

public sealed class FaultTests
{
    private const string Whoami = "_matrix/client/v3/account/whoami";

    private static bool IsWhoami(RecordedRequest r) => r.Path.EndsWith("/account/whoami", StringComparison.Ordinal);

    [Fact]
    public async Task RateLimited_fault_answers_429_with_retry_after_exactly_times_times()
    {
        await using var hs = await Homeserver.StartAsync();
        hs.InjectFault(IsWhoami, Fault.RateLimited(1500), times: 2);
        using var client = hs.Client(hs.AsToken);

        using var first = await client.GetAsync(Whoami);
        var (_, body) = await Matrix.ReadAsync(first);
        var (second, _) = await client.GetJsonAsync(Whoami);
        var (third, _) = await client.GetJsonAsync(Whoami);

        Assert.Equal(429, (int)first.StatusCode);
        Assert.Equal("M_LIMIT_EXCEEDED", body.Errcode());
        Assert.Equal(1500, (int?)body["retry_after_ms"]);
        Assert.Equal(TimeSpan.FromSeconds(2), first.Headers.RetryAfter?.Delta);
        Assert.Equal(429, second);
        Assert.Equal(200, third);
        Assert.Empty(hs.Violations);
    }

    [Fact]
    public async Task Status_fault_answers_503_M_UNKNOWN_once()
    {
        await using var hs = await Homeserver.StartAsync();
        hs.InjectFault(IsWhoami, Fault.Status(503));
        using var client = hs.Client(hs.AsToken);

        var (first, body) = await client.GetJsonAsync(Whoami);
        var (second, _) = await client.GetJsonAsync(Whoami);

        Assert.Equal(503, first);
        Assert.Equal("M_UNKNOWN", body.Errcode());
        Assert.Equal(200, second);
    }

    [Fact]
    public async Task Delay_fault_waits_then_answers_normally()
    {
        await using var hs = await Homeserver.StartAsync();
        hs.InjectFault(IsWhoami, Fault.Delay(TimeSpan.FromMilliseconds(300)));
        using var client = hs.Client(hs.AsToken);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var (status, _) = await client.GetJsonAsync(Whoami);

        Assert.Equal(200, status);
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(250), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task Abort_fault_closes_the_connection_once()
    {
        await using var hs = await Homeserver.StartAsync();
        hs.InjectFault(IsWhoami, Fault.Abort);
        using var client = hs.Client(hs.AsToken);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(Whoami));
        var (status, _) = await client.GetJsonAsync(Whoami);

        Assert.Equal(200, status);
        Assert.Equal(2, hs.Requests.Count);
    }

    [Fact]
    public async Task TruncatedJson_fault_sends_200_with_a_cut_off_body_once()
    {
        await using var hs = await Homeserver.StartAsync();
        hs.InjectFault(IsWhoami, Fault.TruncatedJson);
        using var client = hs.Client(hs.AsToken);

        using var first = await client.GetAsync(Whoami);
        var text = await first.Content.ReadAsStringAsync();
        var (second, _) = await client.GetJsonAsync(Whoami);

        Assert.Equal(200, (int)first.StatusCode);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
        Assert.Equal(200, second);
    }

    [Fact]
    public async Task Fault_only_hits_matching_requests()
    {
        await using var hs = await Homeserver.StartAsync();
        hs.InjectFault(IsWhoami, Fault.Status(500));
        using var client = hs.Client(hs.AsToken);

        var (versions, _) = await client.GetJsonAsync("_matrix/client/versions");
        var (whoami, _) = await client.GetJsonAsync(Whoami);

        Assert.Equal(200, versions);
        Assert.Equal(500, whoami);
    }
}
