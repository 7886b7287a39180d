using System.Reflection;
using System.Reflection.Emit;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Appservice;
using Relay.Core.Identifiers;
using Relay.Host.Appservice;
using Relay.Reliability.Support;
using Relay.Tests.Harness;
using Relay.TestHomeserver;

namespace Relay.Reliability.Scenarios;

/// <summary>
/// Who may do what: only the hs_token pushes transactions; only a room's moderators act on its cases (not the
/// moderators of another room, not the reported user); the reported user never sees who reported them; the
/// hs_token is compared in constant time.
/// </summary>
public static class AuthorizationScenario
{
    private const string Area = "authorization";

    private static readonly string[] Commands = ["!ack", "!redact", "!kick", "!ban", "!policy-ban", "!escalate", "!dismiss", "!resolve"];
    private static readonly string[] Reactions = ["✅", "🗑️", "👢", "🔨", "⬆️", "❎"];

    public static async Task RunAsync(RunSettings run, FigureTable table)
    {
        World? world = null;
        string roomB = "", ownerB = "", modB = "";
        await using var relay = await RelayHarness.StartAsync(hs =>
        {
            world = World.Create(hs, reporters: 5);
            ownerB = $"@ownerb:{hs.ServerName}";
            modB = $"@modb:{hs.ServerName}";
            hs.RegisterUser(ownerB);
            hs.RegisterUser(modB);
            roomB = hs.CreateRoom(ownerB, new RoomSetup
            {
                Members = [modB, world.Spammer, world.Reporters[0].Id],
                PowerLevels = new JsonObject
                {
                    ["users"] = new JsonObject { [ownerB] = 100, [modB] = 50, [hs.SenderUserId] = 100 },
                    ["kick"] = 50, ["ban"] = 50, ["redact"] = 50, ["users_default"] = 0,
                },
            });
            hs.Join(roomB, hs.SenderUserId);
            return new Dictionary<string, string?>
            {
                ["Relay:Reports:ProtectedRooms:0"] = world.Room,
                ["Relay:Reports:PerReporterPerMinute"] = "1000",
                ["Relay:Reports:PerRoomPerMinute"] = "1000",
                // One case (and room) per event, unlimited: these figures measure per-case work, not raid grouping.
                ["Relay:Cases:OffenderScope"] = "event",
                ["Relay:Cases:CaseRoomsPerHour"] = "10000",
            };
        });
        var w = world!;
        var hs = relay.Homeserver;
        var protect = relay.App.Services.GetRequiredService<IProtectedRoomStore>();
        await protect.ProtectAsync(RoomId.Parse(w.Room), UserId.Parse(w.Owner), DateTimeOffset.UtcNow);
        await protect.ProtectAsync(RoomId.Parse(roomB), UserId.Parse(ownerB), DateTimeOffset.UtcNow);
        relay.ConnectAppservice();

        // Only the homeserver pushes transactions.
        var flagged = w.Spam("flag me");
        var flag = Event(hs, w.Room, hs.SendEvent(w.Room, w.Reporters[1].Id, "m.reaction", Annotation(flagged, "🚩")));
        var before = await StoreSnapshot.TakeAsync(relay.DataPath);
        long accepted = 0, pushed = 0;
        foreach (var token in new[] { null, hs.AsToken, w.Reporters[1].Token, "not-the-hs-token", hs.HsToken.ToUpperInvariant() })
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, "/_matrix/app/v1/transactions/forged-" + pushed++)
            {
                Content = new StringContent(new JsonObject { ["events"] = new JsonArray(flag.DeepClone()) }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
            };
            if (token is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            }
            using var response = await relay.Client.SendAsync(request);
            accepted += response.IsSuccessStatusCode ? 1 : 0;
        }
        var forgedChanges = (await StoreSnapshot.TakeAsync(relay.DataPath)).ChangedSince(before).Count;
        table.Add(Area, "transactions pushed without the hs_token", 5);
        table.Zero(Area, "of those accepted or changing state", accepted + forgedChanges);

        // Every way of reporting, so the privacy check below sees every message Relay sends about reports.
        var (r0, t0) = w.Reporters[0];
        var spamA = w.Spam("spam in A");
        await MatrixAssert.OkAsync(await relay.Client.SendAsync(World.Report(w.Room, spamA, t0, "client report reason")));
        await PushAsync(relay, [Event(hs, w.Room, hs.SendEvent(w.Room, w.Reporters[1].Id, "m.reaction", Annotation(spamA, "🚩")))]);
        await PushAsync(relay, [Event(hs, w.Room, hs.SendEvent(w.Room, w.Reporters[2].Id, "m.room.message", new JsonObject
        {
            ["msgtype"] = "m.text", ["body"] = "!report nasty",
            ["m.relates_to"] = new JsonObject { ["m.in_reply_to"] = new JsonObject { ["event_id"] = spamA } },
        }))]);
        var dm = hs.CreateRoom(w.Reporters[3].Id, new RoomSetup { Members = [hs.SenderUserId], IsDirect = true });
        await PushAsync(relay, [w.Say(dm, w.Reporters[3].Id, $"https://matrix.to/#/{w.Room}/{spamA} this is abuse")]);
        using (var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["link"] = $"https://matrix.to/#/{w.Room}/{spamA}", ["harm"] = "m.spam", ["description"] = "web form reason",
            ["contact"] = "witness@example.org",
        }))
        {
            using var response = await relay.Client.PostAsync("/report", form);
            _ = response.StatusCode;
        }
        var spamB = hs.SendEvent(roomB, w.Spammer, "m.room.message", new JsonObject { ["msgtype"] = "m.text", ["body"] = "spam in B" });
        await MatrixAssert.OkAsync(await relay.Client.SendAsync(World.Report(roomB, spamB, t0, "room B reason")));
        await relay.RunQueueUntilAsync(async () => (await CaseRoomCensus.TakeAsync(relay.DataPath, hs)).Settled);
        var cases = await relay.Cases.ListCasesAsync(new Relay.Core.Cases.CaseQuery());
        var caseA = cases.Single(c => c.Target is Relay.Core.Reports.ReportTarget.Event e && e.EventId.Value == spamA);
        var caseB = cases.Single(c => c.Target is Relay.Core.Reports.ReportTarget.Event e && e.EventId.Value == spamB);
        var caseRoomA = caseA.CaseRoom!.Value.Value;
        var caseRoomB = caseB.CaseRoom!.Value.Value;

        // Actions by people who are not moderators of the reported room.
        var outsiders = new[] { ("moderator of another room", modB), ("owner of another room", ownerB), ("the reported user", w.Spammer),
            ("a member (a reporter)", r0), ("a stranger", w.U("stranger")) };
        long tried = 0;
        foreach (var (who, user) in outsiders)
        {
            foreach (var command in Commands)
            {
                await PushAsync(relay, [w.Say(caseRoomA, user, command + " because")]);
                tried++;
            }
            foreach (var key in Reactions)
            {
                await PushAsync(relay, [Event(hs, caseRoomA, hs.SendEvent(caseRoomA, user, "m.reaction", Annotation(caseA.SummaryEvent!.Value.Value, key)))]);
                tried++;
            }
            _ = who;
        }
        // The moderator of room A acting on room B's case.
        foreach (var command in Commands)
        {
            await PushAsync(relay, [w.Say(caseRoomB, w.Mod, command)]);
            tried++;
        }
        await relay.RunQueueAsync();
        var auditA = await relay.Cases.GetAuditAsync(caseA.Id);
        var auditB = await relay.Cases.GetAuditAsync(caseB.Id);
        var carriedOut = auditA.Concat(auditB).Count(a => a.Action.StartsWith("action.", StringComparison.Ordinal)
            && a.Action is not ("action.refused" or "action.rejected"));
        var refused = auditA.Concat(auditB).Count(a => a.Action == "action.refused");
        var harmed = (hs.Members(w.Room).Contains(w.Spammer) ? 0 : 1) + (hs.Members(roomB).Contains(w.Spammer) ? 0 : 1)
            + hs.Timeline(w.Room).Concat(hs.Timeline(roomB)).Count(e => (string?)e["type"] == "m.room.redaction"
                && ((string?)e["redacts"] == spamA || (string?)e["redacts"] == spamB));
        var stateChanged = (await relay.Cases.GetCaseAsync(caseA.Id))!.State != caseA.State || (await relay.Cases.GetCaseAsync(caseB.Id))!.State != caseB.State;
        table.Add(Area, "actions tried by non-moderators (other room's mods, reported user, members, strangers)", tried);
        table.Add(Area, "refused and audited", refused, new Rule.EqualTo(tried, "tried"));
        table.Zero(Area, "carried out (audit, case state, kicks, bans, redactions)", carriedOut + harmed + (stateChanged ? 1 : 0));

        // A moderator of room A can act on room A's case (the control), and then closes it so reporters get their DM.
        await PushAsync(relay, [w.Say(caseRoomA, w.Mod, "!resolve handled")]);
        await relay.RunQueueAsync();
        var closed = (await relay.Cases.GetCaseAsync(caseA.Id))!.State == Relay.Core.Cases.CaseState.Resolved ? 1 : 0;
        table.Add(Area, "the room's own moderator acting (control)", closed, new Rule.EqualTo(1, "1"));

        // The reported user never learns who reported: every event the bot sent in every room they can see.
        var reporterIds = w.Reporters.Select(r => r.Id).Append("witness@example.org").ToList();
        long checkedEvents = 0, naming = 0, caseRoomsWithSpammer = 0;
        foreach (var room in hs.RoomIds())
        {
            var visible = hs.Members(room).Contains(w.Spammer) || hs.Members(room, "invite").Contains(w.Spammer);
            if (room == caseRoomA || room == caseRoomB || (string?)hs.GetState(room, "m.room.create")?["type"] == CaseRoomCensus.ReportRoomType)
            {
                caseRoomsWithSpammer += visible ? 1 : 0;
            }
            if (!visible)
            {
                continue;
            }
            foreach (var e in hs.Timeline(room).Where(e => (string?)e["sender"] == hs.SenderUserId))
            {
                checkedEvents++;
                var text = e.ToJsonString();
                naming += reporterIds.Any(id => text.Contains(id, StringComparison.Ordinal)) ? 1 : 0;
            }
        }
        table.Add(Area, "bot events in rooms the reported user is in or invited to", checkedEvents);
        table.Zero(Area, "of those naming a reporter or contact", naming);
        table.Zero(Area, "case rooms the reported user is in or invited to", caseRoomsWithSpammer);

        // Constant-time comparison: the hs_token check goes through CryptographicOperations.FixedTimeEquals.
        table.Zero(Area, "hs_token checks not using FixedTimeEquals", CallsFixedTimeEquals(typeof(HsTokenAuth).GetMethod(nameof(HsTokenAuth.Check))!) ? 0 : 1);
        table.Zero(Area, "homeserver spec violations", hs.Violations.Count);
        _ = run;
    }

    private static JsonObject Annotation(string eventId, string key) => new()
    {
        ["m.relates_to"] = new JsonObject { ["rel_type"] = "m.annotation", ["event_id"] = eventId, ["key"] = key },
    };

    private static JsonObject Event(TestHomeserver.TestHomeserver hs, string room, string id) =>
        hs.Timeline(room).Single(e => (string?)e["event_id"] == id);

    private static async Task PushAsync(RelayHarness relay, IEnumerable<JsonObject> events)
    {
        using var response = await relay.PushAsync(events);
        await MatrixAssert.OkAsync(response);
    }

    /// <summary>Scans the method's IL for a call to CryptographicOperations.FixedTimeEquals.</summary>
    private static bool CallsFixedTimeEquals(MethodInfo method)
    {
        var il = method.GetMethodBody()!.GetILAsByteArray()!;
        for (var i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] != OpCodes.Call.Value && il[i] != OpCodes.Callvirt.Value)
            {
                continue;
            }
            try
            {
                var called = method.Module.ResolveMethod(BitConverter.ToInt32(il, i + 1));
                if (called?.DeclaringType == typeof(CryptographicOperations) && called.Name == nameof(CryptographicOperations.FixedTimeEquals))
                {
                    return true;
                }
            }
            catch (ArgumentException)
            {
                // Not a method token at this offset.
            }
        }
        return false;
    }
}
