using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Appservice;
using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Tests.Cases;
using Relay.Tests.Harness;
using Relay.TestHomeserver;

namespace Relay.Tests.Dashboard;

/// <summary>
/// Two protected rooms with a case each: room A (the <see cref="CaseRoomWorld"/>: @owner 100, @mod 50) and room B
/// (@ownerb 100, @modb 50); @admin is a community admin. The dashboard is on; sign-in links are read from the bot's DMs
/// on the test homeserver, as a moderator's client would.
/// </summary>
public sealed partial class DashboardWorld : IAsyncDisposable
{
    public const string PublicBaseUrl = "http://relay.test";

    /// <summary>The rooms' names, which the dashboard shows instead of their IDs.</summary>
    public const string RoomAName = "General chat";

    public const string RoomBName = "Off-topic";

    private static StateEventSetup Named(string name) => new("m.room.name", new JsonObject { ["name"] = name });

    private DashboardWorld(RelayHarness relay, CaseRoomWorld a, string roomB, Case caseA, Case caseB)
    {
        Relay = relay;
        A = a;
        RoomB = roomB;
        CaseA = caseA;
        CaseB = caseB;
    }

    public RelayHarness Relay { get; }

    public CaseRoomWorld A { get; }

    public string RoomA => A.Room;

    public string RoomB { get; }

    public Case CaseA { get; }

    public Case CaseB { get; }

    public string Mod => A.Mod;

    public string ModB => A.U("modb");

    public string Admin => A.U("admin");

    public string Base => Relay.App.Urls.First();

    public static async Task<DashboardWorld> CreateAsync(IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var relay = await RelayHarness.StartAsync(hs => new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Relay:Dashboard:Enabled"] = "true",
            ["Relay:Dashboard:PublicBaseUrl"] = settings?.TryGetValue("Relay:Dashboard:PublicBaseUrl", out var url) == true ? url : PublicBaseUrl,
            ["Relay:Community:Admins:0"] = $"@admin:{hs.ServerName}",
        }, services);
        var a = CaseRoomWorld.Create(relay, shape => shape with { State = [.. shape.State, Named(RoomAName)] });
        var hs = relay.Homeserver;
        foreach (var name in new[] { "ownerb", "modb", "admin", "nobody" })
        {
            relay.User(name);
        }
        var roomB = hs.CreateRoom(a.U("ownerb"), new RoomSetup
        {
            Members = [a.U("modb"), a.Member, a.Spammer],
            PowerLevels = CaseRoomWorld.Levels(new JsonObject { [a.U("ownerb")] = 100, [a.U("modb")] = 50, [hs.SenderUserId] = 100 }),
            State = [Named(RoomBName)],
        });
        hs.Join(roomB, hs.SenderUserId);
        await relay.App.Services.GetRequiredService<IProtectedRoomStore>()
            .ProtectAsync(RoomId.Parse(roomB), UserId.Parse(a.U("ownerb")), DateTimeOffset.UnixEpoch);
        var caseA = await a.OpenCaseAsync(reason: "spam links in room A");
        var reported = relay.Message(roomB, a.Spammer, "more spam");
        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(roomB, reported),
            hs.RegisterUser(a.Member), new { reason = "spam links in room B" }));
        await relay.RunQueueAsync();
        // By its room, not as the newest: under a fake clock both cases open at the same instant.
        var caseB = (await relay.Cases.ListCasesAsync(new CaseQuery())).Single(c => c.Target.Room?.Value == roomB);
        return new DashboardWorld(relay, a, roomB, caseA, caseB);
    }

    /// <summary>A browser of its own: cookies kept, redirects not followed (tests look at them).</summary>
    public Browser NewBrowser() => new(this);

    /// <summary>Asks for a link as <paramref name="user"/> and reads it from the bot's DM (the public base replaced by Relay's address).</summary>
    public async Task<string> SignInLinkAsync(Browser browser, string user)
    {
        var before = DmLinks(await DmRoomAsync(user)).Count;
        var answer = await browser.PostFormAsync("/_relay/sign-in", new() { ["matrix_id"] = user }, await browser.CsrfAsync("/_relay/sign-in"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var links = DmLinks(await DmRoomAsync(user));
            if (links.Count > before)
            {
                var link = links[^1];
                Relay.Secrets.Add("sign-in link token", link[(link.LastIndexOf('/') + 1)..]);
                return link;
            }
            Assert.True(DateTime.UtcNow < deadline, "No sign-in link arrived by DM in 10 s.");
            await Task.Delay(25);
        }
    }

    /// <summary>Every sign-in link the bot has sent <paramref name="user"/>, oldest first.</summary>
    public async Task<IReadOnlyList<string>> LinksSentToAsync(string user) => DmLinks(await DmRoomAsync(user));

    /// <summary>Signs <paramref name="user"/> in through the DM link; the browser then holds the session cookie.</summary>
    public async Task<Browser> SignedInAsync(string user)
    {
        var browser = NewBrowser();
        var link = await SignInLinkAsync(browser, user);
        var redeemed = await browser.RedeemAsync(link);
        Assert.Equal(HttpStatusCode.Redirect, redeemed.StatusCode);
        Assert.Equal("/_relay/cases", redeemed.Headers.Location?.OriginalString);
        Relay.Secrets.Add("session token", browser.SessionToken);
        return browser;
    }

    public Task<Case?> CaseAsync(CaseId id) => Relay.Cases.GetCaseAsync(id);

    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(CaseId id) => await Relay.Cases.GetAuditAsync(id);

    private async Task<RoomId?> DmRoomAsync(string user) =>
        await Relay.App.Services.GetRequiredService<IDirectRoomStore>().FindRoomAsync(UserId.Parse(user));

    private List<string> DmLinks(RoomId? room) => room is not { } dm
        ? []
        : [.. Relay.Homeserver.Timeline(dm.Value)
            .Where(e => (string?)e["sender"] == Relay.Homeserver.SenderUserId && (string?)e["type"] == "m.room.message")
            .Select(e => LinkPattern().Match((string?)e["content"]?["body"] ?? ""))
            .Where(m => m.Success)
            .Select(m => m.Value)];

    public ValueTask DisposeAsync() => Relay.DisposeAsync();

    [GeneratedRegex(@"https?://\S+/_relay/link/[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();
}
