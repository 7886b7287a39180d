using System.Diagnostics;
using Relay.Benchmarks.Load;

namespace Relay.Benchmarks.Figures;

/// <summary>
/// Figure 5: VmRSS of the published <c>relay</c> idle and after a load of reports spread over many cases,
/// against the idle VmRSS of the hello-world app published with the same flags.
/// </summary>
public static class MemoryFootprint
{
    public const string Name = "Memory (VmRSS)";

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

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
            await Task.Delay(Settle);
            var loaded = Published.ResidentBytes(process);
            var loadedParts = Published.ResidentParts(process);
            var ratio = (double)loaded / helloIdle;
            var note = $"idle {FigureResult.MiB(idle)} ({((double)idle / helloIdle).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}x); "
                + $"{load.Completed} reports over {mode.MemoryCases} cases at {FigureResult.Rate(load.PerSecond, "reports/s")}; "
                + $"anonymous/file-backed idle {FigureResult.MiB(idleParts.Anonymous)}/{FigureResult.MiB(idleParts.File)}, "
                + $"after {FigureResult.MiB(loadedParts.Anonymous)}/{FigureResult.MiB(loadedParts.File)}";
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
