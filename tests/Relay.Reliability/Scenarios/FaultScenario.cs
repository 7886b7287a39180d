using Microsoft.Extensions.DependencyInjection;
using Relay.Reliability.Support;
using Relay.Tests.Harness;

namespace Relay.Reliability.Scenarios;

/// <summary>
/// Reports filed while the homeserver misbehaves (429, 500/502/503, slow, timeouts, truncated JSON, dropped
/// connections) and goes away entirely (connection refused), with the client retrying as clients do. A failed
/// attempt stores nothing; every report answered 200 ends in exactly one case room.
/// </summary>
public static class FaultScenario
{
    private const string Area = "faults";

    public static async Task RunAsync(RunSettings run, FigureTable table)
    {
        var random = new Random(run.Seed + 1);
        var time = new ShiftingTimeProvider();
        World? world = null;
        TcpOutage? outage = null;
        await using var relay = await RelayHarness.StartAsync(hs =>
        {
            world = World.Create(hs, reporters: 12);
            outage = TcpOutage.Start(hs.BaseUrl);
            return new Dictionary<string, string?>
            {
                ["Relay:Homeserver:Url"] = outage.Url.ToString(),
                ["Relay:Homeserver:TimeoutSeconds"] = "1",
                ["Relay:Reports:PerReporterPerMinute"] = "100000",
                ["Relay:Reports:PerRoomPerMinute"] = "100000",
                // One case (and room) per event, unlimited: these figures measure per-case work, not raid grouping.
                ["Relay:Cases:OffenderScope"] = "event",
                ["Relay:Cases:CaseRoomsPerHour"] = "10000",
                ["Relay:Reports:ProtectedRooms:0"] = world.Room,
                // The clock jumps hours ahead to make queue retries due; a one-tier ladder keeps that from escalating
                // every case to other servers' admins (their .well-known lookups are not what this scenario measures).
                ["Relay:Escalation:Tiers:0:Name"] = "room moderators",
            };
        }, services => services.AddSingleton<TimeProvider>(time));
        await using var _ = outage!;
        var w = world!;
        var hs = relay.Homeserver;
        var count = run.Count(60, 600);
        long answered = 0, failedAttempts = 0, failedStored = 0, unexpected5xx = 0, faults = 0, outages = 0, gaveUp = 0;
        var events = new List<string>();
        for (var i = 0; i < count; i++)
        {
            if (events.Count == 0 || random.Next(3) != 0)
            {
                events.Add(w.Spam($"spam {i}"));
            }
            var target = events[^1];
            var (_, token) = w.Reporters[i % w.Reporters.Count];
            var done = false;
            for (var attempt = 0; attempt < 8 && !done; attempt++)
            {
                if (attempt < 4 && random.Next(10) < 6)
                {
                    Faults.InjectRandom(random, hs, TimeSpan.FromSeconds(1));
                    faults++;
                }
                var down = attempt < 3 && random.Next(12) == 0;
                if (down)
                {
                    outage!.Down();
                    outages++;
                }
                var before = await StoreSnapshot.TakeAsync(relay.DataPath);
                using var response = await relay.Client.SendAsync(World.Report(w.Room, target, token, "fault test reason"));
                if (response.IsSuccessStatusCode)
                {
                    answered++;
                    done = true;
                }
                else
                {
                    failedAttempts++;
                    var status = (int)response.StatusCode;
                    if (status >= 500 && status is not (502 or 503))
                    {
                        unexpected5xx++;
                        table.Note($"faults: report {i} attempt {attempt}: {status} {await response.Content.ReadAsStringAsync()}");
                    }
                    var after = await StoreSnapshot.TakeAsync(relay.DataPath);
                    if (after.ChangedSince(before).Count > 0)
                    {
                        failedStored++;
                    }
                }
                await relay.RunQueueAsync();
                if (down)
                {
                    outage!.Up();
                }
            }
            gaveUp += done ? 0 : 1;
            if (random.Next(4) == 0)
            {
                time.Advance(TimeSpan.FromMinutes(15));
            }
        }
        outage!.Up();
        var census = await CaseRoomCensus.SettleAsync(relay.DataPath, hs, TimeSpan.FromSeconds(60), async () =>
        {
            time.Advance(TimeSpan.FromMinutes(15));
            await relay.RunQueueAsync();
        });
        table.Add(Area, "reports tried (client retries up to 8 times)", count);
        table.Add(Area, "faults injected (429, 5xx, slow, timeout, truncated, dropped)", faults);
        table.Add(Area, "homeserver outages (connection refused)", outages);
        table.Add(Area, "attempts answered with a Matrix error", failedAttempts);
        table.Zero(Area, "failed attempts that stored something", failedStored);
        table.Zero(Area, "5xx other than 502/503 (homeserver down, store down)", unexpected5xx);
        table.Add(Area, "reports answered 200", answered, new Rule.EqualTo(count - gaveUp, "reports not given up"));
        table.Add(Area, "reports that ended in a case room", census.ReportsInCaseRooms, new Rule.EqualTo(answered, "answered 200"));
        table.Add(Area, "reports stored", census.Reports, new Rule.EqualTo(answered, "answered 200"));
        table.Zero(Area, "duplicate case rooms", census.DuplicateRooms);
        table.Zero(Area, "duplicate messages", census.DuplicateMessages);
        table.Zero(Area, "queue messages left or dead-lettered", census.QueueLeft + census.DeadLetters);
        table.Zero(Area, "homeserver spec violations", hs.Violations.Count);
    }
}
