using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Appservice;
using Relay.Core.Identifiers;
using Relay.Reliability.Support;
using Relay.Tests.Harness;

namespace Relay.Reliability.Scenarios;

/// <summary>
/// Abuse with the default limits (10 reports per reporter and 60 per room a minute, 5 web reports per address):
/// one reporter spamming, many reporters piling onto one event, and a parallel flood of distinct fake reports.
/// </summary>
public static class AbuseScenario
{
    private const string Area = "abuse";
    private const int PerReporter = 10;
    private const int PerRoom = 60;

    public static async Task RunAsync(RunSettings run, FigureTable table)
    {
        await OneReporterSpammingAsync(run, table);
        await ManyReportersOneEventAsync(run, table);
        await FloodAsync(run, table);
    }

    private static async Task<(RelayHarness Relay, World World)> StartAsync(int reporters)
    {
        World? world = null;
        var relay = await RelayHarness.StartAsync(hs =>
        {
            world = World.Create(hs, reporters);
            return new Dictionary<string, string?>
            {
                ["Relay:Reports:ProtectedRooms:0"] = world.Room,
                ["Relay:Http:TrustForwardedFor"] = "true",
            };
        });
        await relay.App.Services.GetRequiredService<IProtectedRoomStore>()
            .ProtectAsync(RoomId.Parse(world!.Room), UserId.Parse(world.Owner), DateTimeOffset.UtcNow);
        return (relay, world);
    }

    private static async Task OneReporterSpammingAsync(RunSettings run, FigureTable table)
    {
        var (relay, w) = await StartAsync(1);
        await using var _ = relay;
        var count = run.Count(40, 200);
        long ok = 0, limited = 0, withRetryAfter = 0, other = 0;
        for (var i = 0; i < count; i++)
        {
            using var response = await relay.Client.SendAsync(World.Report(w.Room, w.Spam($"s{i}"), w.Reporters[0].Token, "spam spam"));
            var (status, errcode, isMatrix) = await ProbeOutcome.ReadAsync(response);
            if (status == 200)
            {
                ok++;
            }
            else if (status == 429 && errcode == "M_LIMIT_EXCEEDED")
            {
                limited++;
                withRetryAfter += isMatrix && response.Headers.RetryAfter is not null ? 1 : 0;
            }
            else
            {
                other++;
            }
        }
        var cases = (await StoreSnapshot.TakeAsync(relay.DataPath))["Cases"];
        table.Add(Area, $"one reporter: reports sent at once (limit {PerReporter}/min)", count);
        table.Add(Area, "one reporter: accepted", ok, new Rule.AtMost(PerReporter, "the per-reporter limit"));
        table.Add(Area, "one reporter: 429 M_LIMIT_EXCEEDED with retry_after_ms", withRetryAfter, new Rule.EqualTo(count - ok, "rejected"));
        table.Zero(Area, "one reporter: cases beyond the accepted reports", Math.Max(0, cases - ok));
        table.Zero(Area, "one reporter: other answers", other + (limited - withRetryAfter));
    }

    private static async Task ManyReportersOneEventAsync(RunSettings run, FigureTable table)
    {
        var reporters = run.Count(30, 50);
        var (relay, w) = await StartAsync(reporters);
        await using var _ = relay;
        var target = w.Spam("one bad message");
        long ok = 0;
        for (var i = 0; i < reporters; i++)
        {
            using var response = await relay.Client.SendAsync(World.Report(w.Room, target, w.Reporters[i].Token, "pile-on"));
            ok += response.IsSuccessStatusCode ? 1 : 0;
            if (i % 5 == 4)
            {
                await relay.RunQueueAsync();
            }
        }
        var census = await CaseRoomCensus.SettleAsync(relay.DataPath, relay.Homeserver, TimeSpan.FromSeconds(30), async () => await relay.RunQueueAsync());
        var hs = relay.Homeserver;
        var caseRoom = hs.RoomIds().Single(r => (string?)hs.GetState(r, "m.room.create")?["type"] == CaseRoomCensus.ReportRoomType);
        var botMessages = hs.Timeline(caseRoom).Where(e => (string?)e["sender"] == w.Bot && (string?)e["type"] == "m.room.message").ToList();
        var summaries = botMessages.Count(e => e["content"]?["m.relates_to"] is null
            && ((string?)e["content"]?["body"])?.StartsWith("Report ", StringComparison.Ordinal) == true);
        var edits = botMessages.Count(e => (string?)e["content"]?["m.relates_to"]?["rel_type"] == "m.replace");
        var invitesPerModerator = hs.Timeline(caseRoom)
            .Where(e => (string?)e["type"] == "m.room.member" && (string?)e["content"]?["membership"] == "invite")
            .GroupBy(e => (string?)e["state_key"]).Max(g => g.Count());
        table.Add(Area, "one event: distinct reporters", reporters);
        table.Add(Area, "one event: reports accepted", ok, new Rule.EqualTo(reporters, "reporters"));
        table.Add(Area, "one event: cases", census.Cases, new Rule.EqualTo(1, "1"));
        table.Add(Area, "one event: case rooms", census.ReportRooms, new Rule.EqualTo(1, "1"));
        table.Add(Area, "one event: summaries posted (then edited in place)", summaries, new Rule.EqualTo(1, "1"));
        table.Add(Area, "one event: summary edits (one per queue run at most)", edits, new Rule.AtMost(reporters - 1, "reporters - 1"));
        table.Add(Area, "one event: invites per moderator", invitesPerModerator, new Rule.EqualTo(1, "1"));
        table.Add(Area, "one event: reporters shown in the summary", census.ReportsInCaseRooms, new Rule.EqualTo(ok, "accepted"));
    }

    private static async Task FloodAsync(RunSettings run, FigureTable table)
    {
        var reporters = 40;
        var (relay, w) = await StartAsync(reporters);
        await using var _ = relay;
        var count = run.Count(400, 3000);
        var events = Enumerable.Range(0, 50).Select(i => w.Spam($"flood target {i}")).ToList();
        var statuses = new ConcurrentDictionary<int, int>();
        long notMatrix = 0;
        var random = new Random(run.Seed + 2);
        var plan = Enumerable.Range(0, count).Select(i => (Kind: random.Next(4), Reporter: random.Next(reporters), Event: random.Next(events.Count), Address: random.Next(30))).ToList();
        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (p, ct) =>
        {
            HttpRequestMessage request;
            switch (p.Kind)
            {
                case 0 or 1:
                    request = World.Report(w.Room, events[p.Event], w.Reporters[p.Reporter].Token, "flood reason");
                    break;
                case 2:
                    // A fake event: the homeserver does not know it.
                    request = World.Report(w.Room, $"$fake{p.Event}x{p.Reporter}aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", w.Reporters[p.Reporter].Token, "flood reason");
                    break;
                default:
                    request = new HttpRequestMessage(HttpMethod.Post, "/report")
                    {
                        Content = new FormUrlEncodedContent(new Dictionary<string, string>
                        {
                            ["link"] = $"https://matrix.to/#/{w.Room}/{events[p.Event]}", ["harm"] = "m.spam", ["description"] = "flood reason",
                        }),
                    };
                    request.Headers.Add("X-Forwarded-For", $"198.51.100.{p.Address}");
                    break;
            }
            using (request)
            using (var response = await relay.Client.SendAsync(request, ct))
            {
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                if ((int)response.StatusCode >= 500)
                {
                    var text = await response.Content.ReadAsStringAsync(ct);
                    lock (table)
                    {
                        table.Note($"abuse flood: kind {p.Kind} answered {(int)response.StatusCode}: {text}");
                    }
                }
                if (p.Kind != 3 && response.StatusCode != System.Net.HttpStatusCode.OK && !(await ProbeOutcome.ReadAsync(response)).IsMatrixError)
                {
                    Interlocked.Increment(ref notMatrix);
                }
            }
        });
        var census = await CaseRoomCensus.SettleAsync(relay.DataPath, relay.Homeserver, TimeSpan.FromSeconds(60), async () => await relay.RunQueueAsync());
        long Status(int code) => statuses.GetValueOrDefault(code);
        table.Add(Area, "flood: requests (16 in parallel: reports, fake events, web form from 30 addresses)", count);
        table.Add(Area, "flood: accepted", Status(200), new Rule.AtMost(PerRoom, "the per-room limit"));
        table.Add(Area, "flood: 429", Status(429));
        table.Add(Area, "flood: 404 (fake events)", Status(404));
        table.Zero(Area, "flood: 5xx", statuses.Where(s => s.Key >= 500).Sum(s => s.Value));
        table.Zero(Area, "flood: errors without a Matrix body", notMatrix);
        table.Add(Area, "flood: reports stored", census.Reports, new Rule.EqualTo(Status(200), "accepted"));
        table.Add(Area, "flood: reports in case rooms after the queue drained", census.ReportsInCaseRooms, new Rule.EqualTo(census.Reports, "stored"));
        table.Zero(Area, "flood: queue left or dead-lettered", census.QueueLeft + census.DeadLetters);
        table.Zero(Area, "flood: homeserver spec violations", relay.Homeserver.Violations.Count);
    }
}
