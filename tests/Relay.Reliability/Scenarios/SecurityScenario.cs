using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Relay.Channels.Support;
using Relay.Core.Escalation;
using Relay.Host.Composition;
using Relay.Reliability.Support;
using Relay.Tests.Dashboard;
using Relay.Tests.Escalation.Fakes;

namespace Relay.Reliability.Scenarios;

/// <summary>
/// Issue 20's bad inputs: a flood of anonymous sign-in asks, support lookups aimed at private addresses, and settings
/// with typos. Each must change nothing it should not and cost a bounded amount.
/// </summary>
public static class SecurityScenario
{
    private const string Area = "security";

    public static async Task RunAsync(RunSettings run, FigureTable table)
    {
        await SignInFloodAsync(run, table);
        await PrivateAddressesAsync(table);
        await UnknownSettingsAsync(table);
    }

    private static async Task SignInFloodAsync(RunSettings run, FigureTable table)
    {
        var asks = run.Count(100, 250); // under the ask queue's 256, so the moderator's own ask is never the one dropped
        // As if from many addresses: the per-address limit (5/min) would stop one address long before.
        await using var world = await DashboardWorld.CreateAsync(new Dictionary<string, string?>
        {
            ["Relay:Dashboard:SignInPerAddressPerMinute"] = "100000",
        });
        using var browser = world.NewBrowser();
        var csrf = await browser.CsrfAsync("/_relay/sign-in");
        var before = PowerLevelReads(world);
        var started = DateTime.UtcNow;
        long answered = 0;
        for (var i = 0; i < asks; i++)
        {
            using var response = await browser.PostFormAsync("/_relay/sign-in", new() { ["matrix_id"] = $"@flood{i}:elsewhere.example" }, csrf);
            answered += response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests ? 1 : 0;
        }
        // The moderator's link arrives after every ask queued before it was handled (or dropped, past the queue's 256).
        await world.SignInLinkAsync(browser, world.Mod);
        var windows = 1 + (long)((DateTime.UtcNow - started).TotalSeconds / 30);
        var reads = PowerLevelReads(world) - before;
        using var limited = world.NewBrowser();
        var limitedCsrf = await limited.CsrfAsync("/_relay/sign-in");
        long perIdLinksBefore = (await world.LinksSentToAsync(world.ModB)).Count;
        for (var i = 0; i < 10; i++)
        {
            await limited.PostFormAsync("/_relay/sign-in", new() { ["matrix_id"] = world.ModB }, limitedCsrf);
        }
        await world.SignInLinkAsync(limited, world.Admin);
        var perIdLinks = (await world.LinksSentToAsync(world.ModB)).Count - perIdLinksBefore;

        table.Add(Area, "sign-in flood: anonymous asks for other IDs", asks);
        table.Add(Area, "sign-in flood: answered 200 or 429", answered, new Rule.EqualTo(asks, "asks"));
        table.Add(Area, "sign-in flood: power-level reads (2 rooms, once per 30 s window)", reads, new Rule.AtMost(2 * windows, "2 x 30 s windows"));
        table.Add(Area, "sign-in flood: links sent for one ID asked 10 times (limit 5/h)", perIdLinks, new Rule.AtMost(5, "the per-ID limit"));
    }

    private static async Task PrivateAddressesAsync(FigureTable table)
    {
        await using var server = await SupportServer.StartAsync();
        server.Answer = SupportServer.Good(SupportServer.Contacts(("m.role.admin", "@admin:example.org", null)));
        var port = server.ServerName[(server.ServerName.LastIndexOf(':') + 1)..];
        string[] names =
        [
            $"127.0.0.1:{port}", $"[::1]:{port}", $"localhost:{port}", "10.0.0.1", "192.168.1.1", "172.16.0.1", "169.254.169.254",
            "[fe80::1]", "[fd00::1]", "100.64.0.1", "0.0.0.0", "[::ffff:127.0.0.1]",
        ];
        using var http = new HttpClient(OutboundAddressPolicy.PublicOnly.Handler(TimeSpan.FromSeconds(2))) { Timeout = TimeSpan.FromSeconds(5) };
        var client = new WellKnownSupportClient(http, new SupportLookupSettings("http", TimeSpan.FromMinutes(60)), TimeProvider.System);
        long refused = 0;
        foreach (var name in names)
        {
            refused += await client.LookupAsync(name) is SupportLookup.Unusable ? 1 : 0;
        }
        table.Add(Area, "private addresses: support lookups of loopback, private and link-local names", names.Length);
        table.Add(Area, "private addresses: refused as unusable", refused, new Rule.EqualTo(names.Length, "lookups"));
        table.Zero(Area, "private addresses: requests that reached the loopback server", server.Requests);
    }

    private static async Task UnknownSettingsAsync(FigureTable table)
    {
        string[] typos = ["--Relay:Dashboard:Enabled=ture", "--Relay:Http:TrustForwardedFor=yes", "--Relay:Reports:PerRoomPerMinute=ten"];
        long refused = 0;
        foreach (var typo in typos)
        {
            await using var app = RelayApp.Build(["--urls", "http://127.0.0.1:0", "--Relay:Homeserver:Url=https://matrix.example.org",
                "--Relay:Homeserver:ServerName=example.org", "--Relay:Appservice:AsToken=as", "--Relay:Appservice:HsToken=hs", typo]);
            try
            {
                app.ValidateRelayOptions();
            }
            catch (OptionsValidationException e) when (e.Failures.Any(f => f.StartsWith("Relay__", StringComparison.Ordinal)))
            {
                refused++;
            }
        }
        string[] unknown = ["Relay:Dashbord:Enabled", "Relay:Reports:PerReporterPerMinut", "Relay:Escalaton:SupportScheme", "Relay:Nonsense"];
        await using var relay = await Relay.Tests.Harness.RelayHarness.StartAsync(unknown.ToDictionary(k => k, _ => (string?)"true"));
        var warned = unknown.Count(key => relay.Logs.GetSnapshot().Any(r => r.Level == LogLevel.Warning
            && r.Message.Contains("Unknown setting " + key.Replace(":", "__", StringComparison.Ordinal), StringComparison.Ordinal)));
        table.Add(Area, "unknown settings: unreadable switches and numbers", typos.Length);
        table.Add(Area, "unknown settings: start refused naming the variable", refused, new Rule.EqualTo(typos.Length, "typos"));
        table.Add(Area, "unknown settings: misspelt keys warned about by name", warned, new Rule.EqualTo(unknown.Length, "keys"));
    }

    private static long PowerLevelReads(DashboardWorld world) =>
        world.Relay.Homeserver.Requests.Count(r => r.Method == "GET" && r.Path.Contains("/state/m.room.power_levels", StringComparison.Ordinal));
}
