using System.Diagnostics;
using Relay.Benchmarks.Load;

namespace Relay.Benchmarks.Figures;

/// <summary>
/// Figure 3: the published <c>relay</c> from exec to its first 200 on <c>GET /</c> (the Functions readiness
/// probe), each start on a fresh data folder so the SQLite migration is included, against the hello-world
/// app published with the same flags. Median of N, the two interleaved so load on the machine hits both alike.
/// </summary>
public static class ColdStart
{
    public const string Name = "Cold start to first 200 on GET /";

    public static async Task<FigureResult> RunAsync(BenchmarkMode mode, PublishedApps apps)
    {
        await using var homeserver = await TestHomeserver.TestHomeserver.StartAsync();
        var relayTimes = new List<double>();
        var helloTimes = new List<double>();
        // One unmeasured start of each: the first exec of a new file pays for the page cache.
        await StartHelloAsync(apps);
        await StartRelayAsync(apps, homeserver);
        for (var i = 0; i < mode.ColdStarts; i++)
        {
            helloTimes.Add((await StartHelloAsync(apps)).TotalMilliseconds);
            relayTimes.Add((await StartRelayAsync(apps, homeserver)).TotalMilliseconds);
        }
        var relay = Median(relayTimes);
        var hello = Median(helloTimes);
        var ratio = relay / hello;
        return new FigureResult(3, Name, $"{FigureResult.Millis(relay)} (median of {relayTimes.Count})",
            FigureResult.Millis(hello) + " hello world", ratio, "<= 1.50", ratio <= 1.5,
            $"relay min {FigureResult.Millis(relayTimes.Min())} max {FigureResult.Millis(relayTimes.Max())}, "
            + $"fresh SQLite file each start; migration alone {FigureResult.Millis(await MigrationMsAsync())}; "
            + await FirstServiceBusSend.DescribeAsync(mode.ColdStarts));
    }

    private static async Task<TimeSpan> StartHelloAsync(PublishedApps apps)
    {
        var port = Published.FreePort();
        var started = Stopwatch.GetTimestamp();
        var process = Published.Start(apps.Hello, new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        }, Path.GetTempPath());
        try
        {
            return await Published.WaitForFirst200Async(process, port, started, TimeSpan.FromSeconds(30));
        }
        finally
        {
            Published.Stop(process);
        }
    }

    private static async Task<TimeSpan> StartRelayAsync(PublishedApps apps, TestHomeserver.TestHomeserver homeserver)
    {
        var port = Published.FreePort();
        var work = Directory.CreateTempSubdirectory("relay-coldstart-").FullName;
        var environment = PublishedApps.RelayEnvironment(homeserver, Path.Combine(work, "data", "relay.db"), port);
        var started = Stopwatch.GetTimestamp();
        var process = Published.Start(apps.Relay, environment, work);
        try
        {
            return await Published.WaitForFirst200Async(process, port, started, TimeSpan.FromSeconds(30));
        }
        finally
        {
            Published.Stop(process);
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The schema migration of a new file on its own, since start-up must not do slow work before listening.</summary>
    private static async Task<double> MigrationMsAsync()
    {
        var work = Directory.CreateTempSubdirectory("relay-migrate-").FullName;
        try
        {
            var started = Stopwatch.GetTimestamp();
            using var database = await Relay.Sqlite.SqliteDatabase.OpenAsync(Path.Combine(work, "relay.db"));
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
