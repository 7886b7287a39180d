using System.Diagnostics;
using System.Net;

namespace Relay.Benchmarks.Load;

/// <summary>
/// A closed-loop load generator: <c>connections</c> workers each send one request at a time until the
/// fixed count is sent or the time limit passes, whichever comes first. Latency is measured per request.
/// </summary>
public static class LoadDriver
{
    public static HttpClient Client(Uri baseAddress, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseProxy = false,
        AllowAutoRedirect = false,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>
    /// Runs <paramref name="send"/> for indexes 0..count-1. <paramref name="send"/> returns the status; anything
    /// but 200 counts as a failure and is tallied by status, so a run that measured errors says so.
    /// </summary>
    public static async Task<LoadResult> RunAsync(int count, int connections, TimeSpan limit,
        Func<int, CancellationToken, Task<HttpStatusCode>> send)
    {
        var latencies = new long[count];
        var next = -1;
        var completed = 0;
        var failures = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        using var timeout = new CancellationTokenSource(limit);
        var start = Stopwatch.GetTimestamp();
        var workers = new Task[connections];
        for (var w = 0; w < connections; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                while (!timeout.IsCancellationRequested)
                {
                    var i = Interlocked.Increment(ref next);
                    if (i >= count)
                    {
                        return;
                    }
                    var sent = Stopwatch.GetTimestamp();
                    string? failure;
                    try
                    {
                        var status = await send(i, timeout.Token);
                        failure = status == HttpStatusCode.OK ? null : ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }
                    catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (HttpRequestException e)
                    {
                        failure = e.GetType().Name;
                    }
                    latencies[i] = Stopwatch.GetTimestamp() - sent;
                    Interlocked.Increment(ref completed);
                    if (failure is not null)
                    {
                        failures.AddOrUpdate(failure, 1, (_, n) => n + 1);
                    }
                }
            });
        }
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var done = latencies.Where(l => l > 0).Order().ToArray();
        return new LoadResult(completed, elapsed, done, new Dictionary<string, int>(failures), timeout.IsCancellationRequested);
    }
}

public sealed record LoadResult(int Completed, TimeSpan Elapsed, long[] SortedTicks, IReadOnlyDictionary<string, int> Failures,
    bool TimedOut)
{
    public double PerSecond => Completed / Elapsed.TotalSeconds;

    public double PercentileMs(double p) => Percentile(SortedTicks, p);

    public bool Clean => Failures.Count == 0 && !TimedOut;

    /// <summary>Why the run is not clean, for the printed line; empty when it is.</summary>
    public string Problems()
    {
        var parts = Failures.Select(f => $"{f.Value}x {f.Key}").ToList();
        if (TimedOut)
        {
            parts.Add($"stopped at the time limit after {Completed} requests");
        }
        return string.Join(", ", parts);
    }

    public static double Percentile(long[] sortedTicks, double p)
    {
        if (sortedTicks.Length == 0)
        {
            return double.NaN;
        }
        var index = (int)Math.Ceiling(p / 100 * sortedTicks.Length) - 1;
        return sortedTicks[Math.Clamp(index, 0, sortedTicks.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}
