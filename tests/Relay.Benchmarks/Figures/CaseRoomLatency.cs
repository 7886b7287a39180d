using System.Diagnostics;
using System.Net;
using Relay.Benchmarks.Load;

namespace Relay.Benchmarks.Figures;

/// <summary>
/// Figure 4: from the 200 on a report to the case room's summary reaching the homeserver (its send request,
/// as the test homeserver recorded it), with the embedded queue running as in <c>relay serve</c>. One report
/// at a time, each on a new event so each opens a new case. Baseline: one round trip to the same homeserver.
/// </summary>
public static class CaseRoomLatency
{
    public const string Name = "Report -> case room summary";

    private const string Target = "p50 <= 10 round trips";

    public static async Task<FigureResult> RunAsync(BenchmarkMode mode)
    {
        await using var app = await InProcessRelay.StartAsync(runQueue: true);
        if (!app.OpensCaseRooms)
        {
            return FigureResult.NotAvailable(4, Name, "the OpenCase handler from the caserooms branch", Target);
        }
        // Steady state, as a running Relay shows it: in-process Relay is JIT-compiled (not ReadyToRun like the published
        // one), and the first few dozen cases run tier-0 code; with 3 warm-ups the p50 was ~25% slower, same machine.
        var warmups = 50;
        var world = ReportWorld.Seed(app.Homeserver, reporters: 1, events: mode.CaseRoomSamples + warmups, rooms: 1);
        using var client = LoadDriver.Client(app.BaseAddress, 1);
        var roundTrip = await RoundTripMsAsync(app.Homeserver, world.Tokens[0]);
        var latencies = new List<double>();
        var requestCounts = new List<double>();
        var missing = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(BenchmarkMode.LoadTimeLimit.TotalSeconds * Stopwatch.Frequency);
        for (var i = 0; i < mode.CaseRoomSamples + warmups && Stopwatch.GetTimestamp() < deadline; i++)
        {
            var seen = app.Homeserver.Requests.Count;
            using var request = world.Request(i);
            using var response = await client.SendAsync(request);
            var answered = DateTimeOffset.UtcNow;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                missing++;
                continue;
            }
            var summary = await SummarySentAsync(app.Homeserver, seen, TimeSpan.FromSeconds(10));
            if (summary is null)
            {
                missing++;
            }
            else if (i >= warmups)
            {
                latencies.Add((summary.Value.At - answered).TotalMilliseconds);
                requestCounts.Add(summary.Value.Requests);
            }
        }
        if (latencies.Count == 0)
        {
            return new FigureResult(4, Name, "no summary seen", FigureResult.Millis(roundTrip), null, Target, false,
                $"{missing} reports without a summary within 10 s");
        }
        latencies.Sort();
        var p50 = Percentile(latencies, 50);
        var p99 = Percentile(latencies, 99);
        var ratio = p50 / roundTrip;
        var note = $"p99 {FigureResult.Millis(p99)} = {(p99 / roundTrip).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} round trips, "
            + $"{latencies.Count} cases, {ColdStart.Median(requestCounts)} homeserver requests from report to summary";
        if (missing > 0)
        {
            note += $"; {missing} reports without a summary within 10 s";
        }
        return new FigureResult(4, Name, $"p50 {FigureResult.Millis(p50)}", FigureResult.Millis(roundTrip) + " one homeserver round trip",
            ratio, Target, missing == 0 && ratio <= 10, note);
    }

    /// <summary>
    /// When the summary's send (<c>PUT .../send/m.room.message/relay.{case}.summary.0</c>) arrived and how many
    /// homeserver requests the report led to up to it (the whoami and event fetch of the report included), or null.
    /// </summary>
    private static async Task<(DateTimeOffset At, int Requests)?> SummarySentAsync(TestHomeserver.TestHomeserver homeserver, int from, TimeSpan limit)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < limit)
        {
            var requests = homeserver.Requests;
            for (var i = from; i < requests.Count; i++)
            {
                var r = requests[i];
                if (r.Method == "PUT" && r.Path.Contains("/send/m.room.message/", StringComparison.Ordinal)
                    && r.Path.EndsWith(".summary.0", StringComparison.Ordinal))
                {
                    return (r.ReceivedAt, i - from + 1);
                }
            }
            await Task.Delay(1);
        }
        return null;
    }

    /// <summary>Median of GET whoami round trips to the homeserver on a warm connection.</summary>
    private static async Task<double> RoundTripMsAsync(TestHomeserver.TestHomeserver homeserver, string token)
    {
        using var client = LoadDriver.Client(homeserver.BaseUrl, 1);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var times = new List<double>();
        for (var i = 0; i < 220; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync("_matrix/client/v3/account/whoami");
            await response.Content.LoadIntoBufferAsync();
            response.EnsureSuccessStatusCode();
            if (i >= 20)
            {
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        return ColdStart.Median(times);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
