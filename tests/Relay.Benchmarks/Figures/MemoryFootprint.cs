using System.Diagnostics;
using System.Globalization;
using Relay.Benchmarks.Load;

namespace Relay.Benchmarks.Figures;

/// <summary>
/// Figure 5, two lines, one published <c>relay</c> process. Idle: its VmRSS against the idle VmRSS of the hello world
/// published with the same flags. Growth: VmRSS after 10x the reports over 10x the cases, against VmRSS after the first
/// tenth (full mode: 100,000 reports over 10,000 cases against 10,000 over 1,000), each read once Relay is idle again
/// (queue drained, idle trim run), which is what an instance keeps between bursts; memory that grows with the work
/// done shows there. Each case is reported by ten reporters out of a pool of one per ten cases, so the whoami cache
/// and the rate limiters see a steady population, as a community does. The reading 2 s after each load's last 200,
/// while the queue is still opening case rooms, is in the note.
/// </summary>
public static class MemoryFootprint
{
    public const string Name = "Memory (VmRSS)";

    private const int ReportersPerCase = 10;

    private const int Growth = 10;

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(300);

    private static readonly TimeSpan LoadLimit = TimeSpan.FromSeconds(300);

    private static readonly TimeSpan IdleCpuPerSecond = TimeSpan.FromMilliseconds(20);

    private const int IdleSeconds = 3;

    public static async Task<IEnumerable<FigureResult>> RunAsync(BenchmarkMode mode, PublishedApps apps)
    {
        var helloIdle = await HelloIdleAsync(apps);
        await using var homeserver = await TestHomeserver.TestHomeserver.StartAsync();
        var firstCases = mode.MemoryCases;
        var pool = Math.Max(ReportersPerCase, firstCases / ReportersPerCase);
        var world = ReportWorld.Seed(homeserver, pool, firstCases * Growth);
        var port = Published.FreePort();
        var work = Directory.CreateTempSubdirectory("relay-memory-").FullName;
        var process = Published.Start(apps.Relay, PublishedApps.RelayEnvironment(homeserver, Path.Combine(work, "relay.db"), port, world), work);
        try
        {
            await Published.WaitForFirst200Async(process, port, Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(30));
            await Task.Delay(Settle);
            var idle = Reading.Of(process);
            using var client = LoadDriver.Client(new Uri($"http://127.0.0.1:{port}/"), BenchmarkMode.Connections);
            // Reports of cases [from, to), each by its ten reporters.
            var first = await LoadAsync(process, client, world, pool, 0, firstCases);
            var all = await LoadAsync(process, client, world, pool, firstCases, firstCases * Growth);
            return [IdleLine(idle, helloIdle, first), GrowthLine(first, all, firstCases)];
        }
        finally
        {
            Published.Stop(process);
            Directory.Delete(work, recursive: true);
        }
    }

    private static FigureResult IdleLine(Reading idle, long helloIdle, Phase first) =>
        new(5, Name + ", idle", FigureResult.MiB(idle.Total), FigureResult.MiB(helloIdle) + " hello world idle",
            (double)idle.Total / helloIdle, "<= 1.50", (double)idle.Total / helloIdle <= 1.5,
            $"anonymous/file-backed {FigureResult.MiB(idle.Anonymous)}/{FigureResult.MiB(idle.File)}; after {first.Load.Completed} reports "
            + $"{FigureResult.MiB(first.Loaded.Total)} ({Times(first.Loaded.Total, helloIdle)}) 2 s after the load"
            + (first.Settled is { } s ? $", {FigureResult.MiB(s.Total)} ({Times(s.Total, helloIdle)}) once idle" : ""));

    private static FigureResult GrowthLine(Phase first, Phase all, int firstCases)
    {
        var reports = first.Load.Completed + all.Load.Completed;
        var note = $"{first.Describe()}; then {all.Describe()}";
        if (first.Settled is not { } before || all.Settled is not { } after)
        {
            return new FigureResult(5, Name + ", growth with work", "n/a: Relay did not become idle", "-", null, "<= 1.10", false, note);
        }
        var ratio = (double)after.Total / before.Total;
        var clean = first.Load.Clean && all.Load.Clean;
        return new FigureResult(5, Name + ", growth with work",
            $"{FigureResult.MiB(after.Total)} after {reports:N0} reports over {firstCases * Growth:N0} cases",
            $"{FigureResult.MiB(before.Total)} after {first.Load.Completed:N0} over {firstCases:N0}", ratio, "<= 1.10", clean && ratio <= 1.1, note);
    }

    private static async Task<Phase> LoadAsync(Process process, HttpClient client, ReportWorld world, int pool, int from, int to)
    {
        var cases = to - from;
        var load = await LoadDriver.RunAsync(cases * ReportersPerCase, BenchmarkMode.Connections, LoadLimit, async (i, ct) =>
        {
            var caseIndex = from + i % cases;
            using var request = world.Request(caseIndex, (caseIndex * 7 + i / cases) % pool);
            using var response = await client.SendAsync(request, ct);
            await response.Content.LoadIntoBufferAsync(ct);
            return response.StatusCode;
        });
        var loadEnded = Stopwatch.GetTimestamp();
        await Task.Delay(Settle);
        var loaded = Reading.Of(process);
        var idleAfter = await WaitForIdleAsync(process, loadEnded);
        return new Phase(load, loaded, idleAfter is null ? null : Reading.Of(process), idleAfter);
    }

    private static string Times(long bytes, long baseline) =>
        ((double)bytes / baseline).ToString("0.00", CultureInfo.InvariantCulture) + "x";

    private sealed record Reading(long Total, long Anonymous, long File)
    {
        public static Reading Of(Process process)
        {
            var (anonymous, file) = Published.ResidentParts(process);
            return new Reading(Published.ResidentBytes(process), anonymous, file);
        }

        public override string ToString() =>
            $"{FigureResult.MiB(Total)} (anonymous/file-backed {FigureResult.MiB(Anonymous)}/{FigureResult.MiB(File)})";
    }

    private sealed record Phase(LoadResult Load, Reading Loaded, Reading? Settled, TimeSpan? IdleAfter)
    {
        public string Describe() =>
            $"{Load.Completed:N0} reports at {FigureResult.Rate(Load.PerSecond, "reports/s")}: 2 s after {Loaded}, "
            + (Settled is { } s
                ? $"idle from {IdleAfter!.Value.TotalSeconds:0} s after, idle trim run: {s}"
                : $"still busy {DrainLimit.TotalSeconds:0} s after")
            + (Load.Clean ? "" : $"; errors: {Load.Problems()}");
    }

    /// <summary>
    /// Waits until Relay has used less than <see cref="IdleCpuPerSecond"/> of CPU in each of <see cref="IdleSeconds"/>
    /// seconds in a row, and returns how long after <paramref name="loadEnded"/> that quiet began; null if it did not
    /// within <see cref="DrainLimit"/>. Watching the queue's report messages was not enough: Relay kept working for
    /// several seconds after the last of them was settled, and the idle trim comes a second after the last work.
    /// </summary>
    private static async Task<TimeSpan?> WaitForIdleAsync(Process process, long loadEnded)
    {
        var quietSeconds = 0;
        var cpu = process.TotalProcessorTime;
        while (Stopwatch.GetElapsedTime(loadEnded) < DrainLimit)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            process.Refresh();
            var used = process.TotalProcessorTime - cpu;
            cpu += used;
            quietSeconds = used < IdleCpuPerSecond ? quietSeconds + 1 : 0;
            if (quietSeconds == IdleSeconds)
            {
                return Stopwatch.GetElapsedTime(loadEnded) - TimeSpan.FromSeconds(IdleSeconds);
            }
        }
        return null;
    }

    private static async Task<long> HelloIdleAsync(PublishedApps apps)
    {
        var port = Published.FreePort();
        var process = Published.Start(apps.Hello, new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" },
            Path.GetTempPath());
        try
        {
            await Published.WaitForFirst200Async(process, port, Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(30));
            await Task.Delay(Settle);
            return Published.ResidentBytes(process);
        }
        finally
        {
            Published.Stop(process);
        }
    }
}
