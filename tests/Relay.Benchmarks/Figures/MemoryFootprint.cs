using System.Diagnostics;
using Relay.Benchmarks.Load;

namespace Relay.Benchmarks.Figures;

/// <summary>
/// Figure 5: VmRSS of the published <c>relay</c> idle and after a load of reports spread over many cases,
/// against the idle VmRSS of the hello-world app published with the same flags. The figure is read 2 s after the
/// last 200, while the queue is still opening case rooms; the note adds the reading once Relay is idle again (queue
/// drained, idle trim run), which is what an instance keeps while it waits for the next burst.
/// </summary>
public static class MemoryFootprint
{
    public const string Name = "Memory (VmRSS)";

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(180);

    private static readonly TimeSpan IdleCpuPerSecond = TimeSpan.FromMilliseconds(20);

    private const int IdleSeconds = 3;

    public static async Task<FigureResult> RunAsync(BenchmarkMode mode, PublishedApps apps)
    {
        var helloIdle = await HelloIdleAsync(apps);
        await using var homeserver = await TestHomeserver.TestHomeserver.StartAsync();
        var reporters = mode.MemoryReports / mode.MemoryCases;
        var world = ReportWorld.Seed(homeserver, reporters, mode.MemoryCases);
        var port = Published.FreePort();
        var work = Directory.CreateTempSubdirectory("relay-memory-").FullName;
        var process = Published.Start(apps.Relay, PublishedApps.RelayEnvironment(homeserver, Path.Combine(work, "relay.db"), port), work);
        try
        {
            await Published.WaitForFirst200Async(process, port, Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(30));
            await Task.Delay(Settle);
            var idle = Published.ResidentBytes(process);
            var idleParts = Published.ResidentParts(process);
            using var client = LoadDriver.Client(new Uri($"http://127.0.0.1:{port}/"), BenchmarkMode.Connections);
            var load = await LoadDriver.RunAsync(mode.MemoryReports, BenchmarkMode.Connections, BenchmarkMode.LoadTimeLimit,
                async (i, ct) =>
                {
                    using var request = world.Request(i);
                    using var response = await client.SendAsync(request, ct);
                    await response.Content.LoadIntoBufferAsync(ct);
                    return response.StatusCode;
                });
            var loadEnded = Stopwatch.GetTimestamp();
            await Task.Delay(Settle);
            var loaded = Published.ResidentBytes(process);
            var loadedParts = Published.ResidentParts(process);
            var idleAfter = await WaitForIdleAsync(process, loadEnded);
            var settled = Published.ResidentBytes(process);
            var ratio = (double)loaded / helloIdle;
            var note = $"idle {FigureResult.MiB(idle)} ({((double)idle / helloIdle).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}x); "
                + $"{load.Completed} reports over {mode.MemoryCases} cases at {FigureResult.Rate(load.PerSecond, "reports/s")}; "
                + $"anonymous/file-backed idle {FigureResult.MiB(idleParts.Anonymous)}/{FigureResult.MiB(idleParts.File)}, "
                + $"after {FigureResult.MiB(loadedParts.Anonymous)}/{FigureResult.MiB(loadedParts.File)}; "
                + (idleAfter is { } took
                    ? $"idle from {took.TotalSeconds:0} s after the load, idle trim run: {FigureResult.MiB(settled)} ({((double)settled / helloIdle).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}x)"
                    : $"still busy {DrainLimit.TotalSeconds:0} s after the load: {FigureResult.MiB(settled)}");
            if (!load.Clean)
            {
                note += $"; errors: {load.Problems()}";
            }
            return new FigureResult(5, Name, $"{FigureResult.MiB(loaded)} after {load.Completed} reports",
                FigureResult.MiB(helloIdle) + " hello world idle", ratio, "<= 1.50", load.Clean && ratio <= 1.5, note);
        }
        finally
        {
            Published.Stop(process);
            Directory.Delete(work, recursive: true);
        }
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
