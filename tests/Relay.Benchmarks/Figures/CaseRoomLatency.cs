using System.Diagnostics;
using System.Net;
using Relay.Benchmarks.Load;

namespace Relay.Benchmarks.Figures;

/// <summary>
/// Figure 4: from the 200 on a report to the case room's summary reaching the homeserver (its send request,
/// as the test homeserver recorded it), with the embedded queue running as in <c>relay serve</c>. One report
/// at a time, each on a new event so each opens a new case. Baseline: one round trip to the same homeserver, measured
/// in the same loop right before each report, so it meets the machine in the state Relay's requests meet it (threads
/// parked between cases). A tight loop of round trips keeps both ends spinning and measured 0.04-0.22 ms from run to
/// run; it is printed beside the figure as the hot-loop round trip.
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
        await app.ProtectAsync(world);
        using var client = LoadDriver.Client(app.BaseAddress, 1);
        using var homeserver = HomeserverClient(app.Homeserver, world.Tokens[0]);
        var hotLoop = await HotLoopRoundTripMsAsync(homeserver);
        var roundTrips = new List<double>();
        var latencies = new List<double>();
        var requestCounts = new List<double>();
        var missing = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(BenchmarkMode.LoadTimeLimit.TotalSeconds * Stopwatch.Frequency);
        for (var i = 0; i < mode.CaseRoomSamples + warmups && Stopwatch.GetTimestamp() < deadline; i++)
        {
            var roundTrip = await RoundTripMsAsync(homeserver);
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
                roundTrips.Add(roundTrip);
            }
        }
        if (latencies.Count == 0)
        {
            return new FigureResult(4, Name, "no summary seen", FigureResult.Millis(hotLoop), null, Target, false,
                $"{missing} reports without a summary within 10 s");
        }
        latencies.Sort();
        var p50 = Percentile(latencies, 50);
        var p99 = Percentile(latencies, 99);
        var roundTripMs = ColdStart.Median(roundTrips);
        var ratio = p50 / roundTripMs;
        var note = $"p99 {FigureResult.Millis(p99)} = {(p99 / roundTripMs).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} round trips, "
            + $"{latencies.Count} cases, {ColdStart.Median(requestCounts)} homeserver requests from report to summary; "
            + $"hot-loop round trip {FigureResult.Millis(hotLoop)} (p50 = {(p50 / hotLoop).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} of those)";
        if (missing > 0)
        {
            note += $"; {missing} reports without a summary within 10 s";
        }
        return new FigureResult(4, Name, $"p50 {FigureResult.Millis(p50)}", FigureResult.Millis(roundTripMs) + " one homeserver round trip (median, one before each report)",
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

    private static HttpClient HomeserverClient(TestHomeserver.TestHomeserver homeserver, string token)
    {
        var client = LoadDriver.Client(homeserver.BaseUrl, 1);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>One GET whoami round trip to the homeserver on a warm connection.</summary>
    private static async Task<double> RoundTripMsAsync(HttpClient homeserver)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await homeserver.GetAsync("_matrix/client/v3/account/whoami");
        await response.Content.LoadIntoBufferAsync();
        response.EnsureSuccessStatusCode();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>Median of 200 GET whoami round trips back to back (after 20 to warm up): both ends stay hot.</summary>
    private static async Task<double> HotLoopRoundTripMsAsync(HttpClient homeserver)
    {
        var times = new List<double>();
        for (var i = 0; i < 220; i++)
        {
            var time = await RoundTripMsAsync(homeserver);
            if (i >= 20)
            {
                times.Add(time);
            }
        }
        return ColdStart.Median(times);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
