using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Relay.Benchmarks.Load;
using Relay.Host.Cli;

namespace Relay.Benchmarks.Figures;

/// <summary>
/// Figure 8, against a real Synapse started for the run, with Relay registered in it as an appservice (a conf.d
/// fragment and a restart, as an operator does). Intake: reports/s through Relay (in-process, queue stopped: it answers
/// before it notifies) over 16 connections, against Synapse's own <c>POST /rooms/{r}/report/{e}</c> with the same
/// reporters, events and body, measured just before and just after Relay and averaged. Case room: one report at a time,
/// each a new case, from Relay's 200 to Synapse's answer to the summary's send, with the queue running; baseline: the
/// least a client can do for the same result, <c>createRoom</c> with the moderator invited and then one message, sent
/// straight to the same Synapse just before each report.
/// </summary>
public static class RealHomeserver
{
    public const string Name = "On Synapse";

    private const string IntakeName = Name + ": report intake (16 connections)";

    private const string CaseRoomName = Name + ": report -> case room summary";

    private const int Connections = 16;

    private const int Reporters = 16;

    private static readonly TimeSpan SummaryLimit = TimeSpan.FromSeconds(30);

    public static async Task<IEnumerable<FigureResult>> RunAsync(BenchmarkMode mode)
    {
        if (Synapse.FindScript(out var why) is not { } script)
        {
            return Unmeasured("Synapse is not available: " + why);
        }
        Synapse synapse;
        try
        {
            synapse = await Synapse.StartAsync(script, Published.FreePort());
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or HttpRequestException or FormatException
            or KeyNotFoundException)
        {
            return Unmeasured("Synapse could not be started: " + e.Message);
        }
        await using (synapse)
        {
            var relayUrl = $"http://127.0.0.1:{Published.FreePort()}";
            if (!RegistrationCommand.TryCreate(relayUrl, synapse.ServerName, "relay", "relay", out var registration, out var error))
            {
                throw new InvalidOperationException(error);
            }
            await synapse.RegisterAppserviceAsync(registration.Yaml);
            var world = await SynapseWorld.SeedAsync(synapse, registration.AsToken, Reporters, mode.SynapseEvents + mode.SynapseCases + 3);
            var work = Directory.CreateTempSubdirectory("relay-synapse-bench-").FullName;
            try
            {
                var intake = await IntakeAsync(synapse, world, registration, relayUrl, Path.Combine(work, "intake.db"), mode);
                var caseRoom = await CaseRoomAsync(synapse, world, registration, relayUrl, Path.Combine(work, "cases.db"), mode);
                return [intake, caseRoom];
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static IEnumerable<FigureResult> Unmeasured(string why) =>
    [
        new(8, IntakeName, "not measured", "-", null, ">= 0.50", false, why),
        new(8, CaseRoomName, "not measured", "-", null, "none set (informational)", null, why),
    ];

    private static Dictionary<string, string?> Settings(Synapse synapse, RegistrationCommand.Registration registration, string dataPath,
        SynapseWorld world) => new()
    {
        // Protected as a moderator's invite of the bot would, so the room's moderator is each case's.
        ["Relay:Reports:ProtectedRooms:0"] = world.Room,
        ["Relay:Homeserver:Url"] = synapse.Url.ToString(),
        ["Relay:Homeserver:ServerName"] = synapse.ServerName,
        ["Relay:Appservice:AsToken"] = registration.AsToken,
        ["Relay:Appservice:HsToken"] = registration.HsToken,
        ["Relay:Appservice:PingOnStart"] = "false",
        ["Relay:Data:Path"] = dataPath,
        ["Relay:Reports:PerReporterPerMinute"] = "1000000",
        ["Relay:Reports:PerRoomPerMinute"] = "1000000",
        ["Relay:Reports:WhoAmICacheSeconds"] = "3600",
        // One case, and one case room, per reported event, as figure 4: with one case per offender the later reports
        // only edit the first summary, and the figure waits for summaries that never come.
        ["Relay:Cases:OffenderScope"] = "event",
        ["Relay:Cases:CaseRoomsPerHour"] = "10000",
    };

    private static async Task<FigureResult> IntakeAsync(Synapse synapse, SynapseWorld world, RegistrationCommand.Registration registration,
        string relayUrl, string dataPath, BenchmarkMode mode)
    {
        await using var app = await InProcessRelay.StartAppAsync(Settings(synapse, registration, dataPath, world), runQueue: false, relayUrl);
        using var relayClient = LoadDriver.Client(new Uri(relayUrl + "/"), Connections);
        using var synapseClient = LoadDriver.Client(synapse.Url, Connections);
        // Warm-up on events the measured runs do not report: connections, whoami cache, JIT.
        var warmUp = world.Events.Count - mode.SynapseEvents;
        await SendAllAsync(synapseClient, world, mode.SynapseEvents, Math.Min(warmUp, 3), Reporters);
        await SendAllAsync(relayClient, world, mode.SynapseEvents, Math.Min(warmUp, 3), Reporters);
        var before = await SendAllAsync(synapseClient, world, 0, mode.SynapseEvents, Reporters);
        var relay = await SendAllAsync(relayClient, world, 0, mode.SynapseEvents, Reporters);
        var after = await SendAllAsync(synapseClient, world, 0, mode.SynapseEvents, Reporters);
        var baseline = (before.PerSecond + after.PerSecond) / 2;
        var ratio = relay.PerSecond / baseline;
        var clean = relay.Clean && before.Clean && after.Clean;
        var note = $"{relay.Completed} reports over {mode.SynapseEvents} events by {Reporters} reporters, p50 {FigureResult.Millis(relay.PercentileMs(50))}, "
            + $"p99 {FigureResult.Millis(relay.PercentileMs(99))}; Synapse {FigureResult.Rate(before.PerSecond, "reports/s")} before and "
            + $"{FigureResult.Rate(after.PerSecond, "after")}, p50 {FigureResult.Millis(before.PercentileMs(50))}/{FigureResult.Millis(after.PercentileMs(50))}, "
            + $"p99 {FigureResult.Millis(before.PercentileMs(99))}/{FigureResult.Millis(after.PercentileMs(99))}";
        if (!clean)
        {
            note += $"; errors: relay [{relay.Problems()}] synapse [{before.Problems()}; {after.Problems()}]";
        }
        return new FigureResult(8, IntakeName, FigureResult.Rate(relay.PerSecond, "reports/s"),
            FigureResult.Rate(baseline, "reports/s Synapse's own report endpoint"), ratio, ">= 0.50", clean && ratio >= 0.5, note);
    }

    /// <summary>Reports of events [first, first + events) by every reporter: each (event, reporter) pair once.</summary>
    private static Task<LoadResult> SendAllAsync(HttpClient client, SynapseWorld world, int first, int events, int reporters) =>
        LoadDriver.RunAsync(events * reporters, Connections, BenchmarkMode.LoadTimeLimit, async (i, ct) =>
        {
            using var request = world.Report(first + i % events, i / events);
            using var response = await client.SendAsync(request, ct);
            await response.Content.LoadIntoBufferAsync(ct);
            return response.StatusCode;
        });

    private static async Task<FigureResult> CaseRoomAsync(Synapse synapse, SynapseWorld world, RegistrationCommand.Registration registration,
        string relayUrl, string dataPath, BenchmarkMode mode)
    {
        var log = new RequestLog();
        await using var app = await InProcessRelay.StartAppAsync(Settings(synapse, registration, dataPath, world), runQueue: true, relayUrl,
            services => services.ConfigureAll<HttpClientFactoryOptions>(o =>
                o.HttpMessageHandlerBuilderActions.Add(b => b.AdditionalHandlers.Add(new CountingHandler(log)))));
        using var client = LoadDriver.Client(new Uri(relayUrl + "/"), 1);
        const int warmUps = 3;
        var latencies = new List<double>();
        var direct = new List<double>();
        var requests = new List<double>();
        var missing = 0;
        var lastCase = "";
        var rateLimitedBefore = synapse.RateLimited;
        for (var i = 0; i < mode.SynapseCases + warmUps; i++)
        {
            var directMs = await DirectCaseRoomMsAsync(synapse, world, registration.AsToken, i);
            var from = log.Count;
            using var request = world.Report(mode.SynapseEvents + i, 0);
            using var response = await client.SendAsync(request);
            var answered = Stopwatch.GetTimestamp();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                missing++;
                continue;
            }
            var summary = await SummaryAsync(log, from);
            if (summary is null)
            {
                missing++;
            }
            else if (i >= warmUps)
            {
                latencies.Add(Stopwatch.GetElapsedTime(answered, summary.Value.Answered).TotalMilliseconds);
                // Every request sent before the summary was answered: the invite goes beside the summary's send.
                var sent = log.SentBefore(from, summary.Value.Answered);
                requests.Add(sent.Count);
                lastCase = log.Between(from, sent.Last);
                direct.Add(directMs);
            }
        }
        if (latencies.Count == 0)
        {
            return new FigureResult(8, CaseRoomName, "no summary seen", "-", null, "none set (informational)", false,
                $"{missing} reports without a summary within {SummaryLimit.TotalSeconds:0} s; Relay's last homeserver requests: {log.Tail(30)}");
        }
        latencies.Sort();
        direct.Sort();
        var p50 = Percentile(latencies, 50);
        var directP50 = Percentile(direct, 50);
        var note = $"p99 {FigureResult.Millis(Percentile(latencies, 99))} (direct p99 {FigureResult.Millis(Percentile(direct, 99))}), {latencies.Count} cases, "
            + $"{ColdStart.Median(requests).ToString("0", CultureInfo.InvariantCulture)} homeserver requests per case sent from the report until the summary was answered "
            + $"(min {requests.Min():0}, max {requests.Max():0}; the last: {lastCase})";
        if (missing > 0)
        {
            note += $"; {missing} reports without a summary within {SummaryLimit.TotalSeconds:0} s";
        }
        if (synapse.RateLimited > rateLimitedBefore)
        {
            note += $"; Synapse answered 429 to {synapse.RateLimited - rateLimitedBefore} of the direct baseline's requests (waited out, in its times)";
        }
        var limited = log.WithStatus(429);
        if (limited > 0)
        {
            note += $"; Synapse answered 429 to {limited} of Relay's requests";
        }
        return new FigureResult(8, CaseRoomName, $"p50 {FigureResult.Millis(p50)}",
            $"p50 {FigureResult.Millis(directP50)} createRoom with the moderator invited + one message, sent directly", p50 / directP50,
            "none set (informational)", null, note);
    }

    /// <summary>The summary's send (<c>PUT .../send/m.room.message/relay.{case}.summary.0</c>) answered by Synapse, or null.</summary>
    private static async Task<(int Index, long Answered)?> SummaryAsync(RequestLog log, int from)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < SummaryLimit)
        {
            if (log.Find(from, (method, path) => method == "PUT" && path.Contains("/send/m.room.message/", StringComparison.Ordinal)
                && path.EndsWith(".summary.0", StringComparison.Ordinal)) is { } found)
            {
                return found;
            }
            await Task.Delay(2);
        }
        return null;
    }

    private static async Task<double> DirectCaseRoomMsAsync(Synapse synapse, SynapseWorld world, string asToken, int i)
    {
        var started = Stopwatch.GetTimestamp();
        var room = (await synapse.SendAsync(HttpMethod.Post, "_matrix/client/v3/createRoom", asToken, new JsonObject
        {
            ["preset"] = "private_chat",
            ["name"] = $"direct case {i}",
            ["invite"] = new JsonArray(world.Moderator),
        }))["room_id"]!.GetValue<string>();
        await synapse.SendAsync(HttpMethod.Put, $"_matrix/client/v3/rooms/{Uri.EscapeDataString(room)}/send/m.room.message/direct.{i}", asToken,
            new JsonObject { ["msgtype"] = "m.notice", ["body"] = $"Case {i}: a report of a message by @mallory" });
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
