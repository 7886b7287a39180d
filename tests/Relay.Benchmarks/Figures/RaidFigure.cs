using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Relay.Benchmarks.Load;
using Relay.Core.Cases;

namespace Relay.Benchmarks.Figures;

/// <summary>
/// Figure 7: a raid. One offender posts 200 messages in one room and 3 members report each (600 reports, filed by
/// 3 clients at once), with Relay's default grouping (one case per offender per room) and case-room budget, and the
/// embedded queue running as in <c>relay serve</c>. Printed: case rooms opened against the budget, invites sent, and
/// homeserver requests per report (every request Relay made, intake's event fetches included). The baseline is the
/// budget itself; the ratio is case rooms to budget.
/// </summary>
public static class RaidFigure
{
    public const string Name = "Raid: 200 events x 3 reporters";

    private const int Events = 200;

    private const int Reporters = 3;

    private const string Budget = "10";

    private const string Target = "case rooms <= budget, homeserver requests/report <= 1.5";

    public static async Task<FigureResult> RunAsync()
    {
        await using var app = await InProcessRelay.StartAsync(runQueue: true, new Dictionary<string, string?>
        {
            // The defaults, over the figures' per-event settings.
            ["Relay:Cases:OffenderScope"] = "room",
            ["Relay:Cases:CaseRoomsPerHour"] = Budget,
        });
        var world = ReportWorld.Seed(app.Homeserver, reporters: Reporters, events: Events, rooms: 1);
        await app.ProtectAsync(world);
        var seen = app.Homeserver.Requests.Count;
        using var client = LoadDriver.Client(app.BaseAddress, Reporters);
        var failed = 0;
        await Task.WhenAll(Enumerable.Range(0, Reporters).Select(async r =>
        {
            for (var e = 0; e < Events; e++)
            {
                using var request = world.Request(e, r);
                using var response = await client.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }));
        var settled = await SettledAsync(app, Events * Reporters - failed, TimeSpan.FromSeconds(60));
        var requests = app.Homeserver.Requests.Skip(seen).ToList();
        var rooms = requests.Where(q => q.Path.EndsWith("/createRoom", StringComparison.Ordinal))
            .Select(q => (string?)q.BodyJson()?["room_alias_name"]).OfType<string>().Distinct().Count();
        var invites = requests.Count(q => q.Path.EndsWith("/invite", StringComparison.Ordinal));
        var filed = Events * Reporters - failed;
        var perReport = filed == 0 ? double.NaN : (double)requests.Count / filed;
        var budget = int.Parse(Budget, CultureInfo.InvariantCulture);
        var met = rooms <= budget && perReport <= 1.5 && failed == 0 && settled;
        var note = $"{invites} invites, {requests.Count} homeserver requests for {filed} reports"
            + (failed > 0 ? $", {failed} reports refused" : "")
            + (settled ? "" : ", summaries not current within 60 s");
        return new FigureResult(7, Name,
            $"{rooms} case room(s), {perReport.ToString("0.00", CultureInfo.InvariantCulture)} requests/report",
            $"budget {budget} rooms/h", (double)rooms / budget, Target, met, note);
    }

    /// <summary>Until every case's summary shows all its reports (or the deadline): the raid's last edit has gone out.</summary>
    private static async Task<bool> SettledAsync(InProcessRelay app, int reports, TimeSpan limit)
    {
        var cases = app.App.Services.GetRequiredService<ICaseStore>();
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var all = await cases.ListCasesAsync(new CaseQuery());
            if (all.Sum(c => c.ReportCount) == reports && all.All(c => c.SummaryEvent is not null && c.SummaryRevision >= c.ReportCount))
            {
                return true;
            }
            await Task.Delay(50);
        }
        return false;
    }
}
