using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Appservice;
using Relay.Core.Cases;
using Relay.Core.Cases.Actions;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Tests.Harness;
using Relay.TestHomeserver;

namespace Relay.Tests.Cases;

/// <summary>
/// A protected community room for case-room tests: @owner (creator, 100), @mod (50), @member and @spammer,
/// with the bot joined. Reports are filed over HTTP as a client would, and the queue is run by hand.
/// </summary>
public sealed class CaseRoomWorld
{
    private CaseRoomWorld(RelayHarness relay, string room)
    {
        Relay = relay;
        Room = room;
    }

    public RelayHarness Relay { get; }

    public TestHomeserver.TestHomeserver Homeserver => Relay.Homeserver;

    public string Room { get; }

    public string Bot => Homeserver.SenderUserId;

    public string Owner => U("owner");

    public string Mod => U("mod");

    public string Member => U("member");

    public string Spammer => U("spammer");

    public string U(string localpart) => $"@{localpart}:{Homeserver.ServerName}";

    /// <summary>The usual world; <paramref name="setup"/> may reshape the room (power levels, version, state).</summary>
    public static CaseRoomWorld Create(RelayHarness relay, Func<RoomSetup, RoomSetup>? setup = null, bool botJoined = true,
        bool isProtected = true)
    {
        var hs = relay.Homeserver;
        string U(string localpart) => $"@{localpart}:{hs.ServerName}";
        foreach (var name in new[] { "owner", "mod", "member", "spammer", "member2", "member3" })
        {
            relay.User(name);
        }
        var shape = new RoomSetup
        {
            Members = [U("mod"), U("member"), U("spammer"), U("member2"), U("member3")],
            PowerLevels = Levels(new JsonObject { [U("owner")] = 100, [U("mod")] = 50, [hs.SenderUserId] = 100 }),
        };
        var room = hs.CreateRoom(U("owner"), setup?.Invoke(shape) ?? shape);
        // Protected as the owner's invite of the bot would protect it: only a protected room's moderators get its cases.
        // The store is SQLite's, whose calls complete at once.
        if (isProtected)
        {
            relay.App.Services.GetRequiredService<IProtectedRoomStore>()
                .ProtectAsync(RoomId.Parse(room), UserId.Parse(U("owner")), DateTimeOffset.UnixEpoch).GetAwaiter().GetResult();
        }
        if (botJoined)
        {
            hs.Join(room, hs.SenderUserId);
        }
        return new CaseRoomWorld(relay, room);
    }

    public static JsonObject Levels(JsonObject users, long kick = 50, long ban = 50, long usersDefault = 0) => new()
    {
        ["users"] = users,
        ["users_default"] = usersDefault,
        ["events_default"] = 0,
        ["state_default"] = 50,
        ["kick"] = kick,
        ["ban"] = ban,
        ["redact"] = 50,
        ["invite"] = 0,
    };

    public string Spam(string body = "buy cheap things") => Relay.Message(Room, Spammer, body);

    /// <summary>Files an event report as <paramref name="reporter"/> (a registered localpart) and returns the case.</summary>
    public async Task<Case> ReportAsync(string eventId, string reporter = "member", string? reason = "spam links", string? category = null)
    {
        var token = Homeserver.RegisterUser(U(reporter));
        object body = category is null ? new { reason } : new { reason, category };
        var response = category is null
            ? await Relay.PostAsync(RelayHarness.EventReportPath(Room, eventId), token, body)
            : await Relay.PostAsync(RelayHarness.SafetyReportPath(Guid.NewGuid().ToString("N")), token,
                new JsonObject { ["type"] = "complaint", ["regarding"] = eventId, ["room_id"] = Room, ["harm"] = category, ["description"] = reason });
        await MatrixAssert.OkAsync(response);
        return (await Relay.Cases.ListCasesAsync(new CaseQuery()))[0];
    }

    public async Task<Case> CaseAsync(CaseId id) => (await Relay.Cases.GetCaseAsync(id))!;

    /// <summary>The events the bot sent in <paramref name="room"/> of the given type.</summary>
    public IReadOnlyList<JsonObject> BotEvents(string room, string type = "m.room.message") =>
        [.. Homeserver.Timeline(room).Where(e => (string?)e["sender"] == Bot && (string?)e["type"] == type)];

    /// <summary>Files a report about a fresh spam message and runs the queue: the case with its room open.</summary>
    public async Task<Case> OpenCaseAsync(string reporter = "member", string? reason = "spam links")
    {
        var filed = await ReportAsync(Spam(), reporter, reason);
        await Relay.RunQueueAsync();
        return await CaseAsync(filed.Id);
    }

    /// <summary><paramref name="sender"/> joins the case room (accepting their invite) as a client would.</summary>
    public void JoinCaseRoom(Case c, string sender) => Homeserver.Join(c.CaseRoom!.Value.Value, sender);

    /// <summary>Posts <paramref name="body"/> in the case room and hands the event to Relay as a transaction would.</summary>
    public Task<CaseEventOutcome> CommandAsync(Case c, string sender, string body) =>
        DeliverAsync(c.CaseRoom!.Value.Value, Homeserver.SendEvent(c.CaseRoom!.Value.Value, sender, "m.room.message",
            new JsonObject { ["msgtype"] = "m.text", ["body"] = body }));

    /// <summary>Reacts with <paramref name="key"/> on the case's summary and hands the event to Relay.</summary>
    public Task<CaseEventOutcome> ReactAsync(Case c, string sender, string key, string? to = null) =>
        DeliverAsync(c.CaseRoom!.Value.Value, Homeserver.SendEvent(c.CaseRoom!.Value.Value, sender, "m.reaction",
            new JsonObject
            {
                ["m.relates_to"] = new JsonObject
                {
                    ["rel_type"] = "m.annotation", ["event_id"] = to ?? c.SummaryEvent!.Value.Value, ["key"] = key,
                },
            }));

    /// <summary>Hands an event of the homeserver's timeline to the case-room entry point, in the client format.</summary>
    public Task<CaseEventOutcome> DeliverAsync(string room, string eventId)
    {
        var e = Homeserver.Timeline(room).Single(x => (string?)x["event_id"] == eventId);
        var evt = new RoomEvent(RoomId.Parse(room), EventId.Parse(eventId), UserId.Parse((string)e["sender"]!),
            (string)e["type"]!, (string?)e["state_key"], e["content"]!.AsObject());
        return Relay.App.Services.GetRequiredService<CaseRoomEvents>().HandleAsync(evt);
    }

    /// <summary>The bot's notices in the case room after the summary (confirmations and refusals).</summary>
    public IReadOnlyList<string> Replies(Case c) =>
        [.. BotEvents(c.CaseRoom!.Value.Value).Skip(1).Select(e => (string)e["content"]!["body"]!)];

    public async Task<IReadOnlyList<string>> AuditActionsAsync(CaseId id) =>
        [.. (await Relay.Cases.GetAuditAsync(id)).Select(a => a.Action)];
}
