using System.Diagnostics;
using System.Text.Json.Nodes;
using Relay.Reliability.Support;

namespace Relay.Reliability.Scenarios;

/// <summary>
/// A bounded run of mixed traffic against relay as a child process (so its memory and handles are its own), with
/// homeserver faults injected: working set and open file descriptors must stay flat after warm-up, and every report
/// answered 200 must be in a case room at the end.
/// </summary>
public static class SoakScenario
{
    private const string Area = "soak";

    public static async Task RunAsync(RunSettings run, FigureTable table)
    {
        var duration = TimeSpan.FromSeconds(run.Count(15, 180));
        var random = new Random(run.Seed + 3);
        await using var homeserver = await TestHomeserver.TestHomeserver.StartAsync();
        var world = World.Create(homeserver, reporters: 40);
        var directory = Directory.CreateTempSubdirectory("relay-soak-").FullName;
        var dataPath = Path.Combine(directory, "relay.db");
        var port = RelayProcess.FreePort();
        homeserver.AppserviceUrl = new Uri($"http://127.0.0.1:{port}/");
        await using var relay = await RelayProcess.StartAsync(port, new Dictionary<string, string>
        {
            ["Relay__Homeserver__Url"] = homeserver.BaseUrl.ToString(),
            ["Relay__Homeserver__ServerName"] = homeserver.ServerName,
            ["Relay__Homeserver__TimeoutSeconds"] = "2",
            ["Relay__Appservice__AsToken"] = homeserver.AsToken,
            ["Relay__Appservice__HsToken"] = homeserver.HsToken,
            ["Relay__Data__Path"] = dataPath,
            ["Relay__Reports__PerReporterPerMinute"] = "100000",
            ["Relay__Reports__PerRoomPerMinute"] = "100000",
            // One case (and room) per event, unlimited: these figures measure per-case work, not raid grouping.
            ["Relay__Cases__OffenderScope"] = "event",
            // Protected as the owner's invite of the bot would be: only then are its moderators a case's.
            ["Relay__Reports__ProtectedRooms__0"] = world.Room,
            ["Relay__Cases__CaseRoomsPerHour"] = "10000",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        using var http = new HttpClient { BaseAddress = relay.Url, Timeout = TimeSpan.FromSeconds(30) };
        var samples = new List<(TimeSpan At, long Rss, int Fds)>();
        var clock = Stopwatch.StartNew();
        long requests = 0, answered = 0, fiveXx = 0, faults = 0;
        var events = new List<string>();
        var nextSample = TimeSpan.Zero;
        long rounds = 0;
        while (clock.Elapsed < duration)
        {
            // Paced at 6 rounds (24 reports) a second, well above a community's report rate: the single embedded
            // worker keeps up, so the end state is measured, not a backlog that only time would clear.
            var due = TimeSpan.FromSeconds(rounds++ / 6.0);
            if (clock.Elapsed < due)
            {
                await Task.Delay(due - clock.Elapsed);
            }
            if (clock.Elapsed >= nextSample)
            {
                samples.Add((clock.Elapsed, relay.WorkingSetBytes(), relay.OpenHandles()));
                nextSample += TimeSpan.FromSeconds(1);
            }
            if (random.Next(10) == 0)
            {
                Faults.InjectRandom(random, homeserver, TimeSpan.FromSeconds(2));
                faults++;
            }
            if (events.Count == 0 || random.Next(2) == 0)
            {
                events.Add(world.Spam($"soak {requests}"));
            }
            var (_, token) = world.Reporters[random.Next(world.Reporters.Count)];
            var batch = Enumerable.Range(0, 8).Select(async i =>
            {
                HttpRequestMessage request = (i % 4) switch
                {
                    0 or 1 => World.Report(world.Room, events[random.Next(events.Count)], world.Reporters[(int)((requests + i) % world.Reporters.Count)].Token, "soak reason"),
                    2 => new HttpRequestMessage(HttpMethod.Post, "_matrix/client/v3/rooms/not-a-room/report/x") { Content = new StringContent("{") },
                    _ => new HttpRequestMessage(HttpMethod.Get, "healthz"),
                };
                if (i % 4 == 2)
                {
                    request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
                }
                using (request)
                {
                    try
                    {
                        using var response = await http.SendAsync(request);
                        return ((int)response.StatusCode, i % 4 < 2);
                    }
                    catch (HttpRequestException)
                    {
                        return (0, i % 4 < 2);
                    }
                }
            }).ToList();
            foreach (var (status, isReport) in await Task.WhenAll(batch))
            {
                requests++;
                answered += status == 200 && isReport ? 1 : 0;
                fiveXx += status >= 500 && status is not (502 or 503) || status == 0 ? 1 : 0;
            }
            if (requests % 200 == 0)
            {
                // A homeserver transaction now and then: the appservice side is part of the traffic too.
                var id = homeserver.SendEvent(world.Room, world.Reporters[0].Id, "m.room.message", new JsonObject { ["body"] = "hello" });
                using var pushed = await homeserver.PushTransactionAsync([homeserver.Timeline(world.Room).Single(e => (string?)e["event_id"] == id)]);
            }
        }
        samples.Add((clock.Elapsed, relay.WorkingSetBytes(), relay.OpenHandles()));
        // The homeserver recovers; Relay must then catch up with everything it accepted.
        homeserver.ClearFaults();
        var backlog = await StoreSnapshot.ScalarAsync(dataPath, "SELECT count(*) FROM Queue WHERE Topic <> 'case.due'");
        var census = await CaseRoomCensus.SettleAsync(dataPath, homeserver, TimeSpan.FromSeconds(run.Full ? 180 : 90));
        var warm = samples.Where(s => s.At >= duration / 4).ToList();
        var rssGrowthMb = (warm[^1].Rss - warm[0].Rss) / (1024 * 1024);
        var fdGrowth = warm[^1].Fds - warm[0].Fds;
        table.Add(Area, $"seconds of mixed traffic (faults injected on ~10% of rounds)", (long)duration.TotalSeconds);
        table.Add(Area, "requests", requests);
        table.Add(Area, "faults injected", faults);
        table.Zero(Area, "5xx other than 502/503, or dropped connections", fiveXx);
        table.Add(Area, "working set after warm-up (MB)", warm[0].Rss / (1024 * 1024));
        table.Add(Area, "working set growth after warm-up (MB)", rssGrowthMb, new Rule.AtMost(run.Full ? 96 : 64, "a flat budget"));
        table.Add(Area, "open file descriptors after warm-up", warm[0].Fds);
        table.Add(Area, "open file descriptor growth after warm-up", fdGrowth, new Rule.AtMost(16, "a flat budget"));
        table.Add(Area, "queue backlog when traffic stopped", backlog);
        table.Add(Area, "reports answered 200", answered);
        table.Add(Area, "reports stored", census.Reports, new Rule.EqualTo(answered, "answered 200"));
        table.Add(Area, "reports that ended in a case room", census.ReportsInCaseRooms, new Rule.EqualTo(answered, "answered 200"));
        table.Zero(Area, "duplicate case rooms", census.DuplicateRooms);
        table.Zero(Area, "duplicate messages", census.DuplicateMessages);
        table.Zero(Area, "queue left or dead-lettered", census.QueueLeft + census.DeadLetters);
        if (census.QueueLeft + census.DeadLetters > 0)
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={dataPath};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Topic, DeliveryCount, LastError, VisibleAt FROM Queue WHERE Topic <> 'case.due' UNION ALL SELECT Topic, DeliveryCount, Reason, 0 FROM DeadLetters";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                if (table.Figures.Count > 0 && reader.GetInt64(1) == 0)
                {
                    continue;
                }
                table.Note($"soak: left in the queue: {reader.GetString(0)} after {reader.GetInt64(1)} deliveries: {(reader.IsDBNull(2) ? "" : reader.GetString(2))}, visible at {new DateTime(reader.GetInt64(3), DateTimeKind.Utc):O}");
            }
        }
        var output = relay.Output;
        var leaks = new[] { homeserver.AsToken, homeserver.HsToken, "soak reason" }.Concat(world.Reporters.SelectMany(r => new[] { r.Id, r.Token }))
            .Count(s => output.Contains(s, StringComparison.Ordinal));
        table.Zero(Area, "secrets in the child's console logs", leaks);
        await relay.KillAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS.
        }
    }
}
