using Relay.Benchmarks.Load;

namespace Relay.Benchmarks.Figures;

/// <summary>
/// Figure 1: event reports per second through Relay (whoami cached, event fetched from the loopback
/// homeserver, report and case committed to SQLite) over 64 connections, against a bare Kestrel endpoint
/// that reads the same body and answers <c>{}</c>. The queue worker is stopped: this is intake only.
/// </summary>
public static class IntakeThroughput
{
    public const string Name = "Report intake throughput (64 connections)";

    public static async Task<FigureResult> RunAsync(BenchmarkMode mode)
    {
        const int connections = BenchmarkMode.Connections;
        LoadResult baseline;
        await using (var bare = await BareEndpoint.StartAsync())
        using (var client = LoadDriver.Client(bare.BaseAddress, connections))
        {
            await using var hs = await TestHomeserver.TestHomeserver.StartAsync();
            var world = ReportWorld.Seed(hs, reporters: 8, events: 8, rooms: 1);
            await WarmUpAsync(client, world, mode, mode.IntakeBaselineRequests / 10);
            baseline = await SendAll(client, world, mode.IntakeBaselineRequests, connections);
        }

        LoadResult relay;
        LoadResult fetches;
        await using (var app = await InProcessRelay.StartAsync(runQueue: false))
        using (var client = LoadDriver.Client(app.BaseAddress, connections))
        {
            var reporters = Math.Min(1_000, mode.IntakeRequests / 4);
            var world = ReportWorld.Seed(app.Homeserver, reporters, events: Math.Max(100, mode.IntakeRequests / 10));
            // Warm-up: connections both ways, every reporter's whoami in the cache (it is cached in production too), and
            // the JIT's second tier, as for the baseline.
            await WarmUpAsync(client, world, mode, reporters);
            relay = await SendAll(client, world, mode.IntakeRequests, connections);
            // Context, not a baseline: each report needs one event fetch from the homeserver (it proves the reporter
            // can see the event), and the homeserver shares these cores. Its own rate bounds Relay's.
            using var homeserver = LoadDriver.Client(app.Homeserver.BaseUrl, connections);
            fetches = await LoadDriver.RunAsync(mode.IntakeRequests, connections, BenchmarkMode.LoadTimeLimit, async (i, ct) =>
            {
                using var request = world.EventFetch(i);
                using var response = await homeserver.SendAsync(request, ct);
                await response.Content.LoadIntoBufferAsync(ct);
                return response.StatusCode;
            });
        }

        var ratio = relay.PerSecond / baseline.PerSecond;
        var p99 = relay.PercentileMs(99);
        var note = $"{relay.Completed} reports, p50 {FigureResult.Millis(relay.PercentileMs(50))}, p99 {FigureResult.Millis(p99)}"
            + $"; baseline p99 {FigureResult.Millis(baseline.PercentileMs(99))}"
            + $"; the loopback homeserver alone serves {FigureResult.Rate(fetches.PerSecond, "event fetches/s")} on these cores"
            + $", so a Relay doing nothing but the bare endpoint's work and the event fetch would reach ratio {Ceiling(baseline.PerSecond, fetches.PerSecond).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}";
        if (!relay.Clean || !baseline.Clean)
        {
            note += $"; errors: relay [{relay.Problems()}] baseline [{baseline.Problems()}]";
        }
        return new FigureResult(1, Name, FigureResult.Rate(relay.PerSecond, "reports/s"),
            FigureResult.Rate(baseline.PerSecond, "req/s"), ratio, ">= 0.50", relay.Clean && ratio >= 0.5, note);
    }

    /// <summary>
    /// Both rates are of a load driver and a server sharing these cores, so a request that costs one bare request plus
    /// one event fetch gets 1 / (1/bare + 1/fetch) per second: the ratio no intake that fetches the event can beat here.
    /// </summary>
    private static double Ceiling(double bare, double fetch) => fetch / (bare + fetch);

    /// <summary>
    /// Both sides are measured at steady state: rounds of <paramref name="round"/> requests until
    /// <see cref="BenchmarkMode.IntakeWarmUp"/> has passed. A warm-up of one round left much of Relay's path on
    /// tier-0 code (the first 20,000 reports in a process ran 1.3–1.6x slower than the next 20,000) while the bare endpoint, with far
    /// less code, was already warm.
    /// </summary>
    private static async Task WarmUpAsync(HttpClient client, ReportWorld world, BenchmarkMode mode, int round)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        do
        {
            await SendAll(client, world, round, BenchmarkMode.Connections);
        }
        while (System.Diagnostics.Stopwatch.GetElapsedTime(started) < mode.IntakeWarmUp);
    }

    private static Task<LoadResult> SendAll(HttpClient client, ReportWorld world, int count, int connections) =>
        LoadDriver.RunAsync(count, connections, BenchmarkMode.LoadTimeLimit, async (i, ct) =>
        {
            using var request = world.Request(i);
            using var response = await client.SendAsync(request, ct);
            await response.Content.LoadIntoBufferAsync(ct);
            return response.StatusCode;
        });
}
