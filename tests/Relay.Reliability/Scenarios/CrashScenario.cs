using System.Text.Json.Nodes;
using Relay.Reliability.Support;
using Relay.TestHomeserver;

namespace Relay.Reliability.Scenarios;

/// <summary>
/// relay as a child process, held at a known step by a Delay on one homeserver request and killed with SIGKILL
/// there, then started again on the same SQLite file: every report answered 200 must end in exactly one case room,
/// with one summary, and an action interrupted half-way must happen exactly once.
/// </summary>
public static class CrashScenario
{
    private const string Area = "crash (kill -9)";

    private sealed record KillPoint(string Name, string Stage, Func<RecordedRequest, bool> Hold);

    private static readonly KillPoint[] Points =
    [
        new("intake: checking the token", "report", r => r.Path.EndsWith("/account/whoami", StringComparison.Ordinal)),
        new("intake: fetching the event", "report", r => r.Method == "GET" && r.Path.Contains("/event/", StringComparison.Ordinal)),
        new("case: creating the room", "open", r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal)),
        new("case: inviting moderators", "open", r => r.Path.EndsWith("/invite", StringComparison.Ordinal)),
        new("case: posting the summary", "open", IsSend),
        new("case: editing the summary", "edit", r => IsSend(r) && r.BodyText.Contains("m.replace", StringComparison.Ordinal)),
        new("action: redacting the event", "action", r => r.Method == "PUT" && r.Path.Contains("/redact/", StringComparison.Ordinal)),
        new("action: confirming in the room", "action", r => IsSend(r) && r.Path.Contains(".reply.", StringComparison.Ordinal)),
    ];

    private static bool IsSend(RecordedRequest r) =>
        r.Method == "PUT" && r.Path.Contains("/send/m.room.message/", StringComparison.Ordinal);

    public static async Task RunAsync(RunSettings run, FigureTable table)
    {
        long answered = 0, inRooms = 0, duplicateRooms = 0, duplicateMessages = 0, actionsTwice = 0, actionsMissing = 0;
        long violations = 0, leaks = 0, heldAndKilled = 0, queueLeft = 0;
        foreach (var point in Points)
        {
            var result = await RunPointAsync(point);
            heldAndKilled += result.Killed ? 1 : 0;
            answered += result.Answered;
            inRooms += result.Census.ReportsInCaseRooms;
            duplicateRooms += result.Census.DuplicateRooms;
            duplicateMessages += result.Census.DuplicateMessages;
            queueLeft += result.Census.QueueLeft + result.Census.DeadLetters;
            actionsTwice += result.ActionsTwice;
            actionsMissing += result.ActionsMissing;
            violations += result.Violations;
            leaks += result.Leaks;
            if (result.Census.ReportsInCaseRooms != result.Answered || !result.Killed)
            {
                table.Note($"crash at '{point.Name}': killed={result.Killed}, answered 200={result.Answered}, in case rooms={result.Census.ReportsInCaseRooms}, census={result.Census}");
            }
        }
        table.Add(Area, "kill points (held at a step, then SIGKILL)", Points.Length);
        table.Add(Area, "kill points reached and killed", heldAndKilled, new Rule.EqualTo(Points.Length, "kill points"));
        table.Add(Area, "reports answered 200", answered);
        table.Add(Area, "reports that ended in a case room", inRooms, new Rule.EqualTo(answered, "answered 200"));
        table.Zero(Area, "duplicate case rooms", duplicateRooms);
        table.Zero(Area, "duplicate messages", duplicateMessages);
        table.Zero(Area, "interrupted actions carried out twice", actionsTwice);
        table.Zero(Area, "interrupted actions never carried out", actionsMissing);
        table.Zero(Area, "queue messages left or dead-lettered", queueLeft);
        table.Zero(Area, "homeserver spec violations", violations);
        table.Zero(Area, "secrets in the child's console logs", leaks);
    }

    private sealed record PointResult(bool Killed, long Answered, CaseRoomCensus Census, long ActionsTwice, long ActionsMissing,
        long Violations, long Leaks);

    private static async Task<PointResult> RunPointAsync(KillPoint point)
    {
        await using var homeserver = await TestHomeserver.TestHomeserver.StartAsync();
        var world = World.Create(homeserver, reporters: 2);
        var directory = Directory.CreateTempSubdirectory("relay-crash-").FullName;
        var dataPath = Path.Combine(directory, "relay.db");
        var port = RelayProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["Relay__Homeserver__Url"] = homeserver.BaseUrl.ToString(),
            ["Relay__Homeserver__ServerName"] = homeserver.ServerName,
            ["Relay__Homeserver__TimeoutSeconds"] = "60",
            ["Relay__Appservice__AsToken"] = homeserver.AsToken,
            ["Relay__Appservice__HsToken"] = homeserver.HsToken,
            ["Relay__Data__Path"] = dataPath,
            // One case (and room) per event, unlimited: this figure counts per-case work, not raid grouping.
            ["Relay__Cases__OffenderScope"] = "event",
            // Protected as the owner's invite of the bot would be: only then are its moderators a case's.
            ["Relay__Reports__ProtectedRooms__0"] = world.Room,
            ["Relay__Cases__CaseRoomsPerHour"] = "10000",
        };
        homeserver.AppserviceUrl = new Uri($"http://127.0.0.1:{port}/");
        const string Reason = "crash-test-reason-31";
        var output = new System.Text.StringBuilder();
        long answered = 0;
        var killed = false;
        var relay = await RelayProcess.StartAsync(port, environment);
        try
        {
            using var http = new HttpClient { BaseAddress = relay.Url, Timeout = TimeSpan.FromSeconds(60) };
            var spam = world.Spam();
            var (reporter, token) = world.Reporters[0];

            // Everything before the held stage runs to completion first.
            if (point.Stage is "edit" or "action")
            {
                answered += await ReportAsync(http, world, spam, token, Reason) ? 1 : 0;
                await CaseRoomCensus.SettleAsync(dataPath, homeserver, TimeSpan.FromSeconds(30));
            }

            homeserver.InjectFault(point.Hold, Fault.Delay(TimeSpan.FromMinutes(5)));
            var before = homeserver.Requests.Count;
            Task<bool>? inFlight = null;
            switch (point.Stage)
            {
                case "report" or "open":
                    inFlight = ReportAsync(http, world, spam, token, Reason);
                    break;
                case "edit":
                    inFlight = ReportAsync(http, world, spam, world.Reporters[1].Token, Reason);
                    break;
                case "action":
                    inFlight = PushCommandAsync(world, dataPath, "!redact", "txn-redact");
                    break;
            }
            killed = await WaitForAsync(() => homeserver.Requests.Skip(before).Any(point.Hold), TimeSpan.FromSeconds(30));
            if (point.Stage is "open" or "edit")
            {
                // The report was answered before the queue reached the held step.
                answered += await inFlight! ? 1 : 0;
            }
            output.Append(relay.Output);
            await relay.KillAsync();
            await relay.DisposeAsync();
            if (point.Stage is "report")
            {
                answered += await inFlight! ? 1 : 0;
            }
            else if (point.Stage is "action")
            {
                _ = await inFlight!;
            }

            relay = await RelayProcess.StartAsync(port, environment);
            using var again = new HttpClient { BaseAddress = relay.Url, Timeout = TimeSpan.FromSeconds(60) };
            if (point.Stage is "report")
            {
                // The client never got its answer, so it sends the report again.
                answered += await ReportAsync(again, world, spam, token, Reason) ? 1 : 0;
            }
            long actionsTwice = 0, actionsMissing = 0;
            if (point.Stage is "action")
            {
                // The homeserver retries the transaction it never got an answer for.
                await PushCommandAsync(world, dataPath, "!redact", "txn-redact");
                var redactions = homeserver.Timeline(world.Room).Count(e =>
                    (string?)e["type"] == "m.room.redaction" && (string?)e["sender"] == world.Bot && (string?)e["redacts"] == spam);
                actionsTwice = Math.Max(0, redactions - 1);
                actionsMissing = redactions == 0 ? 1 : 0;
            }
            var census = await CaseRoomCensus.SettleAsync(dataPath, homeserver, TimeSpan.FromSeconds(30));
            if (point.Stage is "action")
            {
                var confirmations = await StoreSnapshot.ScalarAsync(dataPath, "SELECT count(*) FROM Audit WHERE Action = 'action.redact'");
                actionsTwice += Math.Max(0, confirmations - 1);
                actionsMissing += confirmations == 0 ? 1 : 0;
            }
            output.Append(relay.Output);
            var secrets = new[] { homeserver.AsToken, homeserver.HsToken, token, world.Reporters[1].Token, Reason, reporter, world.Reporters[1].Id };
            var leaks = secrets.Count(s => output.ToString().Contains(s, StringComparison.Ordinal));
            return new PointResult(killed, answered, census, actionsTwice, actionsMissing, homeserver.Violations.Count, leaks);
        }
        finally
        {
            await relay.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean.
            }
        }
    }

    /// <summary>True when the report was answered 200; false when the connection dropped or Relay answered an error.</summary>
    private static async Task<bool> ReportAsync(HttpClient http, World world, string eventId, string token, string reason)
    {
        try
        {
            using var response = await http.SendAsync(World.Report(world.Room, eventId, token, reason));
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return false;
        }
    }

    /// <summary>The moderator joins the case room and types <paramref name="command"/>; the homeserver pushes it as one transaction.</summary>
    private static async Task<bool> PushCommandAsync(World world, string dataPath, string command, string txnId)
    {
        var caseRoom = await CaseRoomAsync(dataPath);
        var hs = world.Homeserver;
        if (!hs.Members(caseRoom).Contains(world.Mod))
        {
            hs.Join(caseRoom, world.Mod);
        }
        var existing = hs.Timeline(caseRoom).LastOrDefault(e => (string?)e["sender"] == world.Mod && (string?)e["content"]?["body"] == command);
        var evt = existing ?? world.Say(caseRoom, world.Mod, command);
        try
        {
            using var response = await hs.PushTransactionAsync([evt], txnId);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return false;
        }
    }

    private static async Task<string> CaseRoomAsync(string dataPath)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={dataPath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT CaseRoom FROM Cases WHERE CaseRoom IS NOT NULL LIMIT 1";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(20);
        }
        return true;
    }
}
