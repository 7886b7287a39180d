using System.Globalization;
using Relay.Benchmarks.Load;

namespace Relay.Benchmarks.Figures;

/// <summary>
/// Figure 1: event reports per second through Relay (whoami cached, event fetched from the loopback homeserver, report
/// and case committed to SQLite) over 64 connections. Baseline: what any correct relay pays, a bare Kestrel endpoint
/// that reads the same body, fetches the reported event with the reporter's token from the same loopback homeserver
/// (same seeded world) and answers <c>{}</c>. It is measured just before and just after Relay and the two rates are
/// averaged, since the machine's load moves between runs. The ratio to a bare endpoint without the fetch (the old
/// baseline) is printed beside it. The queue worker is stopped: this is intake only.
/// </summary>
public static class IntakeThroughput
{
    public const string Name = "Report intake throughput (64 connections)";

    private const double Target = 0.7;

    public static async Task<FigureResult> RunAsync(BenchmarkMode mode)
    {
        const int connections = BenchmarkMode.Connections;
        LoadResult bare;
        await using (var endpoint = await BareEndpoint.StartAsync())
        using (var client = LoadDriver.Client(endpoint.BaseAddress, connections))
        {
            await using var hs = await TestHomeserver.TestHomeserver.StartAsync();
            var world = ReportWorld.Seed(hs, reporters: 8, events: 8, rooms: 1);
            await WarmUpAsync(client, world, mode, mode.IntakeBaselineRequests / 10);
            bare = await SendAll(client, world, mode.IntakeBaselineRequests, connections);
        }

        await using var app = await InProcessRelay.StartAsync(runQueue: false);
        var reporters = Math.Min(1_000, mode.IntakeRequests / 4);
        var relayWorld = ReportWorld.Seed(app.Homeserver, reporters, events: Math.Max(100, mode.IntakeRequests / 10));
        await using var fetching = await BareEndpoint.StartAsync(app.Homeserver.BaseUrl);
        using var fetchingClient = LoadDriver.Client(fetching.BaseAddress, connections);
        using var relayClient = LoadDriver.Client(app.BaseAddress, connections);
        await WarmUpAsync(fetchingClient, relayWorld, mode, reporters);
        var (before, beforeCpu) = await MeteredAsync(() => SendAll(fetchingClient, relayWorld, mode.IntakeRequests, connections));
        // Warm-up: connections both ways, every reporter's whoami in the cache (it is cached in production too), and
        // the JIT's second tier, as for the baselines.
        await WarmUpAsync(relayClient, relayWorld, mode, reporters);
        var (relay, relayCpu) = await MeteredAsync(() => SendAll(relayClient, relayWorld, mode.IntakeRequests, connections));
        var (after, afterCpu) = await MeteredAsync(() => SendAll(fetchingClient, relayWorld, mode.IntakeRequests, connections));

        var baseline = (before.PerSecond + after.PerSecond) / 2;
        var ratio = relay.PerSecond / baseline;
        var note = $"{relay.Completed} reports, p50 {FigureResult.Millis(relay.PercentileMs(50))}, p99 {FigureResult.Millis(relay.PercentileMs(99))}"
            + $"; baseline {FigureResult.Rate(before.PerSecond, "req/s")} before and {FigureResult.Rate(after.PerSecond, "after")} Relay"
            + $", p99 {FigureResult.Millis(before.PercentileMs(99))} and {FigureResult.Millis(after.PercentileMs(99))}"
            + $"; against the bare endpoint without the fetch ({FigureResult.Rate(bare.PerSecond, "req/s")}, p99 {FigureResult.Millis(bare.PercentileMs(99))})"
            + $" ratio {(relay.PerSecond / bare.PerSecond).ToString("0.00", CultureInfo.InvariantCulture)}, and that endpoint with the fetch reaches"
            + $" {(baseline / bare.PerSecond).ToString("0.00", CultureInfo.InvariantCulture)} of it"
            + $"; CPU of the process (load driver and homeserver included) per request: Relay {relayCpu.PerRequest(relay)},"
            + $" endpoint with the fetch {beforeCpu.PerRequest(before)} and {afterCpu.PerRequest(after)}; busy {relayCpu.Busy(relay)}"
            + $" of the cores during Relay's load ({beforeCpu.Busy(before)} and {afterCpu.Busy(after)})";
        var clean = relay.Clean && bare.Clean && before.Clean && after.Clean;
        if (!clean)
        {
            note += $"; errors: relay [{relay.Problems()}] baseline [{before.Problems()}; {after.Problems()}] bare [{bare.Problems()}]";
        }
        return new FigureResult(1, Name, FigureResult.Rate(relay.PerSecond, "reports/s"),
            FigureResult.Rate(baseline, "req/s bare endpoint + the event fetch"), ratio, ">= 0.70", clean && ratio >= Target, note);
    }

    /// <summary>
    /// The process's CPU time over a load, so the note can say what each request cost and whether the cores were the
    /// limit (a figure held back by waiting, not work, shows less than 100% busy).
    /// </summary>
    private static async Task<(LoadResult Load, CpuUse Cpu)> MeteredAsync(Func<Task<LoadResult>> load)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var result = await load();
        process.Refresh();
        return (result, new CpuUse(process.TotalProcessorTime - cpu));
    }

    private sealed record CpuUse(TimeSpan Time)
    {
        public string PerRequest(LoadResult load) =>
            (Time.TotalMicroseconds / Math.Max(1, load.Completed)).ToString("0", CultureInfo.InvariantCulture) + " µs";

        public string Busy(LoadResult load) =>
            (Time / (load.Elapsed * Environment.ProcessorCount)).ToString("0%", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Each side is measured at steady state: rounds of <paramref name="round"/> requests until
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
