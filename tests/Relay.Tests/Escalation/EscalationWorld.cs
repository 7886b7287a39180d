using Relay.Channels.Support;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Relay.Core.Cases;
using Relay.Core.Cases.Actions;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Tests.Escalation.Fakes;
using Relay.Tests.Harness;
using Relay.TestHomeserver;

namespace Relay.Tests.Escalation;

/// <summary>
/// Relay on a clock the test moves, with every escalation channel pointed at a loopback fake that follows its protocol:
/// SMTP, two signed webhooks (hosting provider, authorities), the CyberTipline, and the reported user's homeserver
/// (<c>@spammer:localhost:port</c>, whose <c>/.well-known/matrix/support</c> the test controls). The community room has
/// @owner (100), @mod (50), members, the remote spammer and the bot.
/// </summary>
public sealed class EscalationWorld : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private EscalationWorld(RelayHarness relay, FakeTimeProvider time, SupportServer support, FakeSmtpServer smtp, WebhookReceiver hosting,
        WebhookReceiver authorities, CyberTiplineStandIn tipline, string room)
    {
        Relay = relay;
        Time = time;
        Support = support;
        Smtp = smtp;
        Hosting = hosting;
        Authorities = authorities;
        Tipline = tipline;
        Room = room;
    }

    public RelayHarness Relay { get; }

    public FakeTimeProvider Time { get; }

    public SupportServer Support { get; }

    public FakeSmtpServer Smtp { get; }

    public WebhookReceiver Hosting { get; }

    public WebhookReceiver Authorities { get; }

    public CyberTiplineStandIn Tipline { get; }

    public string Room { get; }

    public TestHomeserver.TestHomeserver Homeserver => Relay.Homeserver;

    public string Bot => Homeserver.SenderUserId;

    public string Spammer => Support.User("spammer");

    public string U(string localpart) => $"@{localpart}:{Homeserver.ServerName}";

    public static async Task<EscalationWorld> StartAsync(IDictionary<string, string?>? extra = null)
    {
        var time = new FakeTimeProvider(Start);
        var support = await SupportServer.StartAsync();
        var smtp = new FakeSmtpServer();
        var hosting = await WebhookReceiver.StartAsync();
        var authorities = await WebhookReceiver.StartAsync();
        var tipline = await CyberTiplineStandIn.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Relay:Escalation:SupportScheme"] = "http",
            ["Relay:Escalation:Community"] = "Example Community",
            ["Relay:Escalation:Hosting:AbuseEmail"] = "abuse@hosting.test",
            ["Relay:Escalation:Hosting:WebhookUrl"] = hosting.Url.ToString(),
            ["Relay:Escalation:Hosting:WebhookSecret"] = WebhookReceiver.Secret,
            ["Relay:Escalation:Authorities:WebhookUrl"] = authorities.Url.ToString(),
            ["Relay:Escalation:Authorities:WebhookSecret"] = WebhookReceiver.Secret,
        };
        foreach (var (k, v) in smtp.Settings().Concat(tipline.Settings()).Concat(extra ?? new Dictionary<string, string?>()))
        {
            settings[k] = v;
        }
        var relay = await RelayHarness.StartAsync(settings, services =>
        {
            services.AddSingleton<TimeProvider>(time);
            services.AddSingleton(OutboundAddressPolicy.AllowingLoopback);
        });
        var hs = relay.Homeserver;
        string U(string localpart) => $"@{localpart}:{hs.ServerName}";
        foreach (var name in new[] { "owner", "mod", "member", "member2", "member3", "member4" })
        {
            relay.User(name);
        }
        var spammer = support.User("spammer");
        var room = hs.CreateRoom(U("owner"), new RoomSetup
        {
            Members = [U("mod"), U("member"), U("member2"), U("member3"), U("member4"), spammer],
            PowerLevels = Cases.CaseRoomWorld.Levels(new JsonObject { [U("owner")] = 100, [U("mod")] = 50, [hs.SenderUserId] = 100 }),
        });
        hs.Join(room, hs.SenderUserId);
        await relay.App.Services.GetRequiredService<global::Relay.Core.Appservice.IProtectedRoomStore>()
            .ProtectAsync(RoomId.Parse(room), UserId.Parse(U("owner")), Start);
        return new EscalationWorld(relay, time, support, smtp, hosting, authorities, tipline, room);
    }

    public string Spam(string body = "buy cheap things") =>
        Homeserver.SendEvent(Room, Spammer, "m.room.message", new JsonObject { ["msgtype"] = "m.text", ["body"] = body });

    /// <summary>Files a report as <paramref name="reporter"/>: a plain event report, or an MSC4457 complaint with a harm category.</summary>
    public async Task<Case> ReportAsync(string eventId, string reporter = "member", string reason = "spam links", string? harm = null)
    {
        var token = Homeserver.RegisterUser(U(reporter));
        var response = harm is null
            ? await Relay.PostAsync(RelayHarness.EventReportPath(Room, eventId), token, new { reason })
            : await Relay.PostAsync(RelayHarness.SafetyReportPath(Guid.NewGuid().ToString("N")), token,
                new JsonObject { ["type"] = "complaint", ["regarding"] = eventId, ["room_id"] = Room, ["harm"] = harm, ["description"] = reason });
        await MatrixAssert.OkAsync(response);
        return (await Relay.Cases.ListCasesAsync(new CaseQuery()))[0];
    }

    public async Task<Case> OpenCaseAsync(string? harm = null, string body = "buy cheap things", string reason = "spam links")
    {
        var filed = await ReportAsync(Spam(body), reason: reason, harm: harm);
        await RunAsync();
        return await CaseAsync(filed.Id);
    }

    public Task<int> RunAsync() => Relay.RunQueueAsync();

    /// <summary>Moves the clock and runs whatever fell due.</summary>
    public async Task<int> AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        return await RunAsync();
    }

    public async Task<Case> CaseAsync(CaseId id) => (await Relay.Cases.GetCaseAsync(id))!;

    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(CaseId id, string action) =>
        [.. (await Relay.Cases.GetAuditAsync(id)).Where(a => a.Action == action)];

    /// <summary>Bodies of the bot's messages in a room, in order.</summary>
    public IReadOnlyList<string> BotBodies(string room) =>
        [.. Homeserver.Timeline(room).Where(e => (string?)e["sender"] == Bot && (string?)e["type"] == "m.room.message")
            .Select(e => (string?)e["content"]?["body"] ?? "")];

    /// <summary>Every event the bot sent anywhere, as JSON, for "never shows content" checks.</summary>
    public IReadOnlyList<string> EverythingTheBotSent() =>
        [.. Homeserver.Requests.Where(r => r.Method is "PUT" or "POST").Select(r => r.Path + " " + System.Text.Encoding.UTF8.GetString(r.Body))];

    public Task<CaseEventOutcome> ReactAsync(Case c, string sender, string key)
    {
        var room = c.CaseRoom!.Value.Value;
        var id = Homeserver.SendEvent(room, sender, "m.reaction", new JsonObject
        {
            ["m.relates_to"] = new JsonObject { ["rel_type"] = "m.annotation", ["event_id"] = c.SummaryEvent!.Value.Value, ["key"] = key },
        });
        var e = Homeserver.Timeline(room).Single(x => (string?)x["event_id"] == id);
        return Relay.App.Services.GetRequiredService<CaseRoomEvents>().HandleAsync(new RoomEvent(RoomId.Parse(room), EventId.Parse(id),
            UserId.Parse(sender), "m.reaction", null, e["content"]!.AsObject()));
    }

    public async ValueTask DisposeAsync()
    {
        await Relay.DisposeAsync();
        await Support.DisposeAsync();
        await Smtp.DisposeAsync();
        await Hosting.DisposeAsync();
        await Authorities.DisposeAsync();
        await Tipline.DisposeAsync();
    }
}
