using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Appservice;
using Relay.Core.Identifiers;
using Relay.Reliability.Support;
using Relay.Tests.Harness;

namespace Relay.Reliability.Scenarios;

/// <summary>
/// Every endpoint fed a corpus of bad requests with the answer the spec calls for, transactions replayed and
/// reordered, and seeded random mutations of valid requests. A rejected request must change nothing in the store.
/// </summary>
public static class BadInputScenario
{
    private const string Area = "bad input";
    private const string Fuzz = "bad input (random)";

    public static async Task RunAsync(RunSettings run, FigureTable table)
    {
        World? world = null;
        await using var relay = await RelayHarness.StartAsync(hs =>
        {
            world = World.Create(hs, reporters: 3);
            return new Dictionary<string, string?>
            {
                ["Relay:Reports:ProtectedRooms:0"] = world.Room,
                ["Relay:Reports:PerReporterPerMinute"] = "100000",
                ["Relay:Reports:PerRoomPerMinute"] = "100000",
                // One case (and room) per event, unlimited: these figures measure per-case work, not raid grouping.
                ["Relay:Cases:OffenderScope"] = "event",
                ["Relay:Cases:CaseRoomsPerHour"] = "10000",
                ["Relay:Reports:WebFormPerAddressPerMinute"] = "100000",
                ["Relay:Dashboard:Enabled"] = "true",
                ["Relay:Dashboard:PublicBaseUrl"] = "http://127.0.0.1",
                ["Relay:Dashboard:SignInPerAddressPerMinute"] = "100000",
            };
        });
        var w = world!;
        await relay.App.Services.GetRequiredService<IProtectedRoomStore>()
            .ProtectAsync(RoomId.Parse(w.Room), UserId.Parse(w.Owner), DateTimeOffset.UtcNow);
        relay.ConnectAppservice();

        var corpus = Corpus(relay, w);
        long tried = 0, rightAnswer = 0, fiveXx = 0, changed = 0;
        foreach (var probe in corpus)
        {
            var (outcome, changes) = await SendAsync(relay, probe);
            tried++;
            var right = outcome.Status == probe.Status && (probe.ErrCode is null || outcome.ErrCode == probe.ErrCode)
                && (probe.ErrCode is null || outcome.IsMatrixError);
            rightAnswer += right ? 1 : 0;
            fiveXx += outcome.Status >= 500 ? 1 : 0;
            changed += changes.Count > 0 ? 1 : 0;
            if (!right || changes.Count > 0)
            {
                table.Note($"bad input {probe.Group} / {probe.Name}: expected {probe.Status} {probe.ErrCode}, got {outcome.Status} {outcome.ErrCode}"
                    + (changes.Count > 0 ? $"; state changed: {string.Join(", ", changes)}" : ""));
            }
        }
        table.Add(Area, "cases tried (every endpoint)", tried);
        table.Add(Area, "answered with the spec's status and errcode", rightAnswer, new Rule.EqualTo(tried, "cases tried"));
        table.Zero(Area, "5xx seen", fiveXx);
        table.Zero(Area, "state changed by a rejected request", changed);

        await TransactionsAsync(relay, w, table);
        await FuzzAsync(relay, w, run, table);
        table.Zero(Area, "homeserver spec violations", relay.Homeserver.Violations.Count);
    }

    private static async Task<((int Status, string? ErrCode, bool IsMatrixError) Outcome, IReadOnlyList<string> Changes)> SendAsync(
        RelayHarness relay, Probe probe)
    {
        var before = await StoreSnapshot.TakeAsync(relay.DataPath);
        using var response = await relay.Client.SendAsync(probe.ToRequest());
        var outcome = await ProbeOutcome.ReadAsync(response);
        var after = await StoreSnapshot.TakeAsync(relay.DataPath);
        var changes = probe.IsRejection || probe.Group is "web form" or "health" ? after.ChangedSince(before) : [];
        return (outcome, changes);
    }

    private static List<Probe> Corpus(RelayHarness relay, World w)
    {
        var hs = relay.Homeserver;
        var (_, token) = w.Reporters[0];
        var spam = w.Spam();
        var elsewhere = hs.CreateRoom(w.Owner, new Relay.TestHomeserver.RoomSetup { Members = [w.Spammer] });
        var hidden = hs.SendEvent(elsewhere, w.Spammer, "m.room.message", new JsonObject { ["body"] = "x" });
        var revoked = hs.RegisterUser(w.U("revoked"));
        hs.RevokeToken(revoked);
        var eventPath = "/" + World.EventReportPath(w.Room, spam);
        var roomPath = RelayHarness.RoomReportPath(w.Room);
        var userPath = RelayHarness.UserReportPath(w.Spammer);
        var safetyPath = RelayHarness.SafetyReportPath("txn-bad");
        const string Json = "application/json";
        var u = Probe.Utf8;
        var list = new List<Probe>();

        void Add(string group, string name, HttpMethod method, string path, byte[]? body, string? type, string? tok, int status, string? errcode) =>
            list.Add(new Probe(group, name, method, path, body, type, tok, status, errcode));

        // The same body-level corpus on every JSON report endpoint.
        var valid = new Dictionary<string, (string Path, string Body)>
        {
            ["event report"] = (eventPath, """{"reason":"bad input check"}"""),
            ["event report r0"] = ("/" + World.EventReportPath(w.Room, spam).Replace("/v3/", "/r0/", StringComparison.Ordinal), """{"reason":"bad input check"}"""),
            ["room report"] = (roomPath, """{"reason":"bad input check"}"""),
            ["user report"] = (userPath, """{"reason":"bad input check"}"""),
            ["MSC4457"] = (safetyPath, $$"""{"type":"complaint","regarding":"{{spam}}","room_id":"{{w.Room}}","harm":"m.spam","description":"bad input check"}"""),
        };
        foreach (var (group, (path, body)) in valid)
        {
            var post = HttpMethod.Post;
            Add(group, "no token", post, path, u(body), Json, null, 401, "M_MISSING_TOKEN");
            Add(group, "unknown token", post, path, u(body), Json, "syt_not_a_token_at_all", 401, "M_UNKNOWN_TOKEN");
            Add(group, "revoked token", post, path, u(body), Json, revoked, 401, "M_UNKNOWN_TOKEN");
            Add(group, "Basic instead of Bearer", post, path, u(body), Json, "Basic dXNlcjpwYXNz", 401, "M_MISSING_TOKEN");
            Add(group, "empty Bearer", post, path, u(body), Json, "Bearer ", 401, "M_MISSING_TOKEN");
            Add(group, "wrong ?access_token=", post, path + "?access_token=syt_wrong_query_token", u(body), Json, null, 401, "M_UNKNOWN_TOKEN");
            Add(group, "malformed JSON", post, path, u("{\"reason\":"), Json, token, 400, "M_NOT_JSON");
            Add(group, "empty body", post, path, [], Json, token, 400, "M_NOT_JSON");
            Add(group, "array body", post, path, u("[]"), Json, token, 400, "M_NOT_JSON");
            Add(group, "string body", post, path, u("\"spam\""), Json, token, 400, "M_NOT_JSON");
            Add(group, "number body", post, path, u("42"), Json, token, 400, "M_NOT_JSON");
            Add(group, "null body", post, path, u("null"), Json, token, 400, "M_NOT_JSON");
            Add(group, "two objects", post, path, u("{}{}"), Json, token, 400, "M_NOT_JSON");
            Add(group, "trailing comma", post, path, u("{\"reason\":\"x\",}"), Json, token, 400, "M_NOT_JSON");
            Add(group, "single quotes", post, path, u("{'reason':'x'}"), Json, token, 400, "M_NOT_JSON");
            Add(group, "invalid UTF-8", post, path, [.. u("{\"reason\":\""), 0xFF, 0xFE, 0xC0, .. u("\"}")], Json, token, 400, "M_NOT_JSON");
            Add(group, "overlong UTF-8 encoding", post, path, [.. u("{\"reason\":\""), 0xC0, 0xAF, .. u("\"}")], Json, token, 400, "M_NOT_JSON");
            Add(group, "lone surrogate bytes", post, path, [.. u("{\"reason\":\""), 0xED, 0xA0, 0x80, .. u("\"}")], Json, token, 400, "M_NOT_JSON");
            Add(group, "raw control character", post, path, u("{\"reason\":\"a\u0001b\"}"), Json, token, 400, "M_NOT_JSON");
            Add(group, "raw NUL", post, path, u("{\"reason\":\"a\0b\"}"), Json, token, 400, "M_NOT_JSON");
            Add(group, "deep nesting (100)", post, path, u(new string('[', 100) + new string(']', 100)), Json, token, 400, "M_NOT_JSON");
            Add(group, "deep nesting in a field (100)", post, path, u("{\"x\":" + new string('[', 100) + new string(']', 100) + "}"), Json, token, 400, "M_NOT_JSON");
            Add(group, "70 KiB body", post, path, u("{\"x\":\"" + new string('a', 70 * 1024) + "\"}"), Json, token, 413, "M_TOO_LARGE");
            Add(group, "5 MiB body", post, path, u("{\"x\":\"" + new string('a', 5 * 1024 * 1024) + "\"}"), Json, token, 413, "M_TOO_LARGE");
            Add(group, "form-encoded body", post, path, u("reason=spam"), "application/x-www-form-urlencoded", token, 400, "M_NOT_JSON");
            Add(group, "text/plain, not JSON", post, path, u("reason: spam"), "text/plain", token, 400, "M_NOT_JSON");
            Add(group, "no content type, not JSON", post, path, u("reason=spam"), null, token, 400, "M_NOT_JSON");
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
            {
                Add(group, $"method {method}", method, path, method == HttpMethod.Get ? null : u(body), Json, token, 405, "M_UNRECOGNIZED");
            }
            if (group != "MSC4457")
            {
                Add(group, "reason a number", post, path, u("{\"reason\":42}"), Json, token, 400, "M_BAD_JSON");
                Add(group, "reason an object", post, path, u("{\"reason\":{}}"), Json, token, 400, "M_BAD_JSON");
                Add(group, "reason an array", post, path, u("{\"reason\":[\"x\"]}"), Json, token, 400, "M_BAD_JSON");
                Add(group, "reason a boolean", post, path, u("{\"reason\":true}"), Json, token, 400, "M_BAD_JSON");
                Add(group, "reason over 1024 bytes", post, path, u("{\"reason\":\"" + new string('é', 600) + "\"}"), Json, token, 400, "M_INVALID_PARAM");
            }
        }
        Add("event report", "score a string", HttpMethod.Post, eventPath, u("{\"reason\":\"x\",\"score\":\"bad\"}"), Json, token, 400, "M_BAD_JSON");
        Add("event report", "unknown target", HttpMethod.Post, eventPath, u("{\"reason\":\"x\",\"target\":\"everyone\"}"), Json, token, 400, "M_INVALID_PARAM");
        Add("event report", "target a number", HttpMethod.Post, eventPath, u("{\"reason\":\"x\",\"target\":5}"), Json, token, 400, "M_BAD_JSON");
        Add("room report", "reason missing", HttpMethod.Post, roomPath, u("{}"), Json, token, 400, "M_BAD_JSON");
        Add("user report", "reason missing", HttpMethod.Post, userPath, u("{}"), Json, token, 400, "M_BAD_JSON");
        Add("event report", "event that does not exist", HttpMethod.Post, "/" + World.EventReportPath(w.Room, "$doesnotexist0000000000000000000000000000000"), u("{}"), Json, token, 404, "M_NOT_FOUND");
        Add("event report", "event in a room the reporter is not in", HttpMethod.Post, "/" + World.EventReportPath(elsewhere, hidden), u("{}"), Json, token, 404, "M_NOT_FOUND");

        // IDs in the path: grammar, length (255 bytes), traversal, control characters.
        var badRooms = new Dictionary<string, string>
        {
            ["room ID without sigil"] = "notaroom:hs.test",
            ["room ID just the sigil"] = "!",
            ["room ID over 255 bytes"] = "!" + new string('a', 260) + ":hs.test",
            ["room ID traversal"] = "../../../etc/passwd",
            ["room ID encoded traversal"] = "!a:hs.test/../../admin",
            ["room ID with newline"] = "!a\nb:hs.test",
            ["room ID with space"] = "!a b:hs.test",
            ["room alias instead of ID"] = "#room:hs.test",
        };
        foreach (var (name, id) in badRooms)
        {
            Add("event report", name, HttpMethod.Post, "/" + World.EventReportPath(id, spam), u("{}"), Json, token, 400, "M_INVALID_PARAM");
            Add("room report", name, HttpMethod.Post, RelayHarness.RoomReportPath(id), u("{\"reason\":\"\"}"), Json, token, 400, "M_INVALID_PARAM");
        }
        var badEvents = new Dictionary<string, string>
        {
            ["event ID without sigil"] = "abcdef",
            ["event ID just the sigil"] = "$",
            ["event ID over 255 bytes"] = "$" + new string('a', 300),
        };
        foreach (var (name, id) in badEvents)
        {
            Add("event report", name, HttpMethod.Post, "/" + World.EventReportPath(w.Room, id), u("{}"), Json, token, 400, "M_INVALID_PARAM");
        }
        // Opaque event IDs (room v3+) may hold '/', so this one is well-formed: the homeserver has no such event.
        Add("event report", "event ID traversal", HttpMethod.Post, "/" + World.EventReportPath(w.Room, "$../../admin"), u("{}"), Json, token, 404, "M_NOT_FOUND");
        // Kestrel refuses a decoded NUL in the path itself (an empty 400) before Relay sees the request.
        Add("event report", "room ID with NUL (refused by Kestrel)", HttpMethod.Post, "/" + World.EventReportPath("!a\0b:hs.test", spam), u("{}"), Json, token, 400, null);
        Add("event report", "event ID with NUL (refused by Kestrel)", HttpMethod.Post, "/" + World.EventReportPath(w.Room, "$a\0b"), u("{}"), Json, token, 400, null);
        Add("user report", "user ID with NUL (refused by Kestrel)", HttpMethod.Post, RelayHarness.UserReportPath("@a\0b:hs.test"), u("{\"reason\":\"\"}"), Json, token, 400, null);
        var badUsers = new Dictionary<string, string>
        {
            ["user ID without sigil"] = "spammer:hs.test",
            ["user ID without server"] = "@spammer",
            ["user ID with a space"] = "@bad user:hs.test",
            ["user ID over 255 bytes"] = "@" + new string('a', 260) + ":hs.test",
            ["user ID traversal"] = "@../../admin:hs.test/../x",
        };
        foreach (var (name, id) in badUsers)
        {
            Add("user report", name, HttpMethod.Post, RelayHarness.UserReportPath(id), u("{\"reason\":\"\"}"), Json, token, 400, "M_INVALID_PARAM");
        }

        // MSC4457 fields.
        string Complaint(string type = "\"complaint\"", string regarding = "", string harm = "\"m.spam\"", string description = "\"bad input check\"",
            string? room = null) =>
            $"{{\"type\":{type},\"regarding\":{(regarding.Length == 0 ? $"\"{spam}\"" : regarding)},\"room_id\":{room ?? $"\"{w.Room}\""},\"harm\":{harm},\"description\":{description}}}";
        var msc = new Dictionary<string, (string Body, string ErrCode)>
        {
            ["type missing"] = ($"{{\"regarding\":\"{spam}\",\"harm\":\"m.spam\"}}", "M_BAD_JSON"),
            ["type unknown"] = (Complaint(type: "\"praise\""), "M_INVALID_PARAM"),
            ["type a number"] = (Complaint(type: "1"), "M_BAD_JSON"),
            ["regarding missing"] = ("{\"type\":\"complaint\",\"harm\":\"m.spam\"}", "M_BAD_JSON"),
            ["regarding a number"] = (Complaint(regarding: "7"), "M_BAD_JSON"),
            ["regarding not an ID"] = (Complaint(regarding: "\"hello there\""), "M_INVALID_PARAM"),
            ["regarding over 255 bytes"] = (Complaint(regarding: "\"@" + new string('a', 300) + ":hs.test\""), "M_INVALID_PARAM"),
            ["regarding traversal"] = (Complaint(regarding: "\"../../etc/passwd\""), "M_INVALID_PARAM"),
            ["harm missing"] = ($"{{\"type\":\"complaint\",\"regarding\":\"{spam}\"}}", "M_BAD_JSON"),
            ["harm unknown"] = (Complaint(harm: "\"m.nonsense\""), "M_INVALID_PARAM"),
            ["harm a number"] = (Complaint(harm: "5"), "M_BAD_JSON"),
            ["description over 1024 bytes"] = (Complaint(description: "\"" + new string('x', 1100) + "\""), "M_BAD_JSON"),
            ["description blank"] = (Complaint(description: "\"   \""), "M_BAD_JSON"),
            ["description a number"] = (Complaint(description: "3"), "M_BAD_JSON"),
            ["description missing for a general harm"] = ($"{{\"type\":\"complaint\",\"regarding\":\"{spam}\",\"harm\":\"m.other\"}}", "M_BAD_JSON"),
            ["room_id not an ID"] = (Complaint(room: "\"kitchen\""), "M_INVALID_PARAM"),
            ["room_id a number"] = (Complaint(room: "9"), "M_BAD_JSON"),
        };
        foreach (var (name, (body, errcode)) in msc)
        {
            Add("MSC4457", name, HttpMethod.Post, safetyPath, u(body), Json, token, 400, errcode);
        }
        Add("MSC4457", "txnId over 255 bytes", HttpMethod.Post, RelayHarness.SafetyReportPath(new string('t', 300)), u(valid["MSC4457"].Body), Json, token, 400, "M_INVALID_PARAM");
        Add("MSC4457", "txnId with a control character", HttpMethod.Post, RelayHarness.SafetyReportPath("a\u0001b"), u(valid["MSC4457"].Body), Json, token, 400, "M_INVALID_PARAM");

        // The application service API: only the homeserver's hs_token.
        var txn = "/_matrix/app/v1/transactions/bad-1";
        var events = u("{\"events\":[]}");
        foreach (var (prefix, path) in new[] { ("", txn), ("legacy ", "/transactions/bad-1") })
        {
            Add("appservice", prefix + "transaction without token", HttpMethod.Put, path, events, Json, null, 401, "M_UNAUTHORIZED");
            Add("appservice", prefix + "transaction with a wrong token", HttpMethod.Put, path, events, Json, "wrong-hs-token", 403, "M_FORBIDDEN");
            Add("appservice", prefix + "transaction with the as_token", HttpMethod.Put, path, events, Json, hs.AsToken, 403, "M_FORBIDDEN");
            Add("appservice", prefix + "transaction with a user's token", HttpMethod.Put, path, events, Json, token, 403, "M_FORBIDDEN");
            Add("appservice", prefix + "transaction with hs_token as Basic", HttpMethod.Put, path, events, Json, "Basic " + hs.HsToken, 401, "M_UNAUTHORIZED");
            Add("appservice", prefix + "transaction with hs_token plus a character", HttpMethod.Put, path, events, Json, hs.HsToken + "x", 403, "M_FORBIDDEN");
            Add("appservice", prefix + "transaction with a prefix of hs_token", HttpMethod.Put, path, events, Json, hs.HsToken[..^1], 403, "M_FORBIDDEN");
        }
        Add("appservice", "transaction with a wrong ?access_token=", HttpMethod.Put, txn + "?access_token=wrong", events, Json, null, 403, "M_FORBIDDEN");
        Add("appservice", "transaction with a user's token and the right one in the query", HttpMethod.Put, txn + "?access_token=" + hs.HsToken, events, Json, token, 403, "M_FORBIDDEN");
        Add("appservice", "transaction, malformed JSON", HttpMethod.Put, "/_matrix/app/v1/transactions/bad-2", u("{\"events\":["), Json, hs.HsToken, 400, "M_NOT_JSON");
        Add("appservice", "transaction, array body", HttpMethod.Put, "/_matrix/app/v1/transactions/bad-3", u("[]"), Json, hs.HsToken, 400, "M_NOT_JSON");
        Add("appservice", "transaction, empty body", HttpMethod.Put, "/_matrix/app/v1/transactions/bad-4", [], Json, hs.HsToken, 400, "M_NOT_JSON");
        Add("appservice", "transaction, invalid UTF-8", HttpMethod.Put, "/_matrix/app/v1/transactions/bad-5", [.. u("{\"events\":[\""), 0xFF, .. u("\"]}")], Json, hs.HsToken, 400, "M_NOT_JSON");
        Add("appservice", "transaction, deep nesting (200)", HttpMethod.Put, "/_matrix/app/v1/transactions/bad-6", u("{\"events\":" + new string('[', 200) + new string(']', 200) + "}"), Json, hs.HsToken, 400, "M_NOT_JSON");
        Add("appservice", "transaction, 5 MiB body", HttpMethod.Put, "/_matrix/app/v1/transactions/bad-7", u("{\"events\":[],\"x\":\"" + new string('a', 5 * 1024 * 1024) + "\"}"), Json, hs.HsToken, 413, "M_TOO_LARGE");
        Add("appservice", "transaction, POST", HttpMethod.Post, txn, events, Json, hs.HsToken, 405, "M_UNRECOGNIZED");
        Add("appservice", "transaction, DELETE", HttpMethod.Delete, txn, null, null, hs.HsToken, 405, "M_UNRECOGNIZED");
        Add("appservice", "ping without token", HttpMethod.Post, "/_matrix/app/v1/ping", u("{}"), Json, null, 401, "M_UNAUTHORIZED");
        Add("appservice", "ping with a wrong token", HttpMethod.Post, "/_matrix/app/v1/ping", u("{}"), Json, "wrong", 403, "M_FORBIDDEN");
        Add("appservice", "ping, GET", HttpMethod.Get, "/_matrix/app/v1/ping", null, null, hs.HsToken, 405, "M_UNRECOGNIZED");
        Add("appservice", "user query without token", HttpMethod.Get, "/_matrix/app/v1/users/" + Uri.EscapeDataString(w.Bot), null, null, null, 401, "M_UNAUTHORIZED");
        Add("appservice", "user query with a wrong token", HttpMethod.Get, "/_matrix/app/v1/users/" + Uri.EscapeDataString(w.Bot), null, null, "wrong", 403, "M_FORBIDDEN");
        Add("appservice", "user query, not a user ID", HttpMethod.Get, "/_matrix/app/v1/users/..%2F..%2Fetc", null, null, hs.HsToken, 404, "M_NOT_FOUND");
        Add("appservice", "user query, someone else", HttpMethod.Get, "/_matrix/app/v1/users/" + Uri.EscapeDataString(w.Spammer), null, null, hs.HsToken, 404, "M_NOT_FOUND");
        Add("appservice", "legacy user query without token", HttpMethod.Get, "/users/" + Uri.EscapeDataString(w.Bot), null, null, null, 401, "M_UNAUTHORIZED");
        Add("appservice", "room query without token", HttpMethod.Get, "/_matrix/app/v1/rooms/" + Uri.EscapeDataString("#relay-case-x:hs.test"), null, null, null, 401, "M_UNAUTHORIZED");
        Add("appservice", "room query with a wrong token", HttpMethod.Get, "/_matrix/app/v1/rooms/" + Uri.EscapeDataString("#x:hs.test"), null, null, "wrong", 403, "M_FORBIDDEN");
        Add("appservice", "room query, traversal", HttpMethod.Get, "/_matrix/app/v1/rooms/..%2F..%2Fetc", null, null, hs.HsToken, 404, "M_NOT_FOUND");

        // The web form answers pages, not Matrix errors; the status is what counts.
        var form = "application/x-www-form-urlencoded";
        string Form(string link, string harm = "m.spam", string description = "bad input check", string extra = "") =>
            $"link={Uri.EscapeDataString(link)}&harm={Uri.EscapeDataString(harm)}&description={Uri.EscapeDataString(description)}{extra}";
        var spamLink = $"https://matrix.to/#/{w.Room}/{spam}";
        Add("web form", "PUT", HttpMethod.Put, "/report", u(Form(spamLink)), form, null, 405, "M_UNRECOGNIZED");
        Add("web form", "DELETE", HttpMethod.Delete, "/report", null, null, null, 405, "M_UNRECOGNIZED");
        Add("web form", "JSON instead of a form", HttpMethod.Post, "/report", u("{\"link\":\"x\"}"), Json, null, 415, null);
        Add("web form", "no content type", HttpMethod.Post, "/report", u(Form(spamLink)), null, null, 415, null);
        Add("web form", "multipart", HttpMethod.Post, "/report", u("--b\r\n\r\n--b--"), "multipart/form-data; boundary=b", null, 415, null);
        Add("web form", "body over 16 KiB", HttpMethod.Post, "/report", u(Form(spamLink, description: new string('a', 17 * 1024))), form, null, 413, null);
        Add("web form", "5 MiB body", HttpMethod.Post, "/report", u(Form(spamLink, description: new string('a', 5 * 1024 * 1024))), form, null, 413, null);
        Add("web form", "link garbage", HttpMethod.Post, "/report", u(Form("not a link at all")), form, null, 400, null);
        Add("web form", "link traversal", HttpMethod.Post, "/report", u(Form("../../../etc/passwd")), form, null, 400, null);
        Add("web form", "link to a javascript: URL", HttpMethod.Post, "/report", u(Form("javascript:alert(1)")), form, null, 400, null);
        Add("web form", "link over 2048 characters", HttpMethod.Post, "/report", u(Form("https://matrix.to/#/" + w.Room + "/" + new string('a', 2100))), form, null, 400, null);
        Add("web form", "room Relay does not protect", HttpMethod.Post, "/report", u(Form($"https://matrix.to/#/{elsewhere}/{hidden}")), form, null, 400, null);
        Add("web form", "event that does not exist", HttpMethod.Post, "/report", u(Form($"https://matrix.to/#/{w.Room}/$nope000000000000000000000000000000000000000")), form, null, 400, null);
        Add("web form", "unknown harm", HttpMethod.Post, "/report", u(Form(spamLink, harm: "m.nonsense")), form, null, 400, null);
        Add("web form", "description over 1024 bytes", HttpMethod.Post, "/report", u(Form(spamLink, description: new string('d', 1100))), form, null, 400, null);
        Add("web form", "general harm without description", HttpMethod.Post, "/report", u(Form(spamLink, harm: "m.other", description: "")), form, null, 400, null);
        Add("web form", "invalid UTF-8 in a field", HttpMethod.Post, "/report", u("link=%FF%FE&harm=m.spam&description=x"), form, null, 400, null);
        Add("web form", "control characters in the link", HttpMethod.Post, "/report", u(Form("https://matrix.to/#/\u0001\u0002" + w.Room)), form, null, 400, null);
        Add("web form", "malformed percent-encoding", HttpMethod.Post, "/report", u("link=%ZZ%&harm=%&description=%G1"), form, null, 400, null);
        Add("web form", "contact over 254 characters", HttpMethod.Post, "/report", u(Form(spamLink, extra: "&contact=" + new string('c', 250) + "%40example.org")), form, null, 400, null);
        Add("web form", "contact not an e-mail", HttpMethod.Post, "/report", u(Form(spamLink, extra: "&contact=not-an-email")), form, null, 400, null);
        Add("web form", "honeypot filled (a bot: thanked, nothing stored)", HttpMethod.Post, "/report", u(Form(spamLink, extra: "&website=http%3A%2F%2Fspam.example")), form, null, 200, null);

        // The moderator dashboard answers pages too; none of these has a session or a CSRF token.
        var caseAct = "/_relay/cases/01J00000000000000000000000/act";
        Add("dashboard", "sign-in as JSON", HttpMethod.Post, "/_relay/sign-in", u($"{{\"matrix_id\":\"{w.Owner}\"}}"), Json, null, 415, null);
        Add("dashboard", "sign-in without content type", HttpMethod.Post, "/_relay/sign-in", u("matrix_id=x"), null, null, 415, null);
        Add("dashboard", "sign-in multipart", HttpMethod.Post, "/_relay/sign-in", u("--b\r\n\r\n--b--"), "multipart/form-data; boundary=b", null, 415, null);
        Add("dashboard", "sign-in 5 MiB body", HttpMethod.Post, "/_relay/sign-in", u("matrix_id=" + new string('a', 5 * 1024 * 1024)), form, null, 413, null);
        Add("dashboard", "sign-in without CSRF", HttpMethod.Post, "/_relay/sign-in", u("matrix_id=" + Uri.EscapeDataString(w.Owner)), form, null, 403, null);
        Add("dashboard", "sign-in with a forged CSRF", HttpMethod.Post, "/_relay/sign-in", u("csrf=AAAA&matrix_id=" + Uri.EscapeDataString(w.Owner)), form, null, 403, null);
        Add("dashboard", "sign-in, invalid UTF-8", HttpMethod.Post, "/_relay/sign-in", u("matrix_id=%FF%FE"), form, null, 403, null);
        Add("dashboard", "link redeemed without CSRF", HttpMethod.Post, "/_relay/link", u("token=" + new string('A', 43)), form, null, 403, null);
        Add("dashboard", "link as text/plain", HttpMethod.Post, "/_relay/link", u("token=x"), "text/plain", null, 415, null);
        Add("dashboard", "link that is not a token", HttpMethod.Get, "/_relay/link/..%2F..%2Fetc%2Fpasswd", null, null, null, 400, null);
        Add("dashboard", "link over 255 characters", HttpMethod.Get, "/_relay/link/" + new string('A', 300), null, null, null, 400, null);
        Add("dashboard", "sign-out without a session", HttpMethod.Post, "/_relay/sign-out", u("csrf=x"), form, null, 403, null);
        Add("dashboard", "action without a session", HttpMethod.Post, caseAct, u("action=ack&request=" + new string('c', 32)), form, null, 403, null);
        Add("dashboard", "action as JSON", HttpMethod.Post, caseAct, u("{\"action\":\"ack\"}"), Json, null, 415, null);
        Add("dashboard", "action on a traversal path", HttpMethod.Post, "/_relay/cases/..%2F..%2Fetc/act", u("action=ack"), form, null, 403, null);
        Add("dashboard", "action 5 MiB body", HttpMethod.Post, caseAct, u("note=" + new string('a', 5 * 1024 * 1024)), form, null, 413, null);

        // Health and unknown paths.
        Add("health", "GET /healthz", HttpMethod.Get, "/healthz", null, null, null, 200, null);
        Add("health", "POST /healthz", HttpMethod.Post, "/healthz", u("{}"), Json, null, 405, "M_UNRECOGNIZED");
        Add("health", "POST /", HttpMethod.Post, "/", u("{}"), Json, null, 405, "M_UNRECOGNIZED");
        Add("health", "unknown path", HttpMethod.Get, "/_matrix/client/v3/nothing-here", null, null, null, 404, "M_UNRECOGNIZED");
        Add("health", "traversal path", HttpMethod.Get, "/_matrix/..%2F..%2Fetc%2Fpasswd", null, null, null, 404, "M_UNRECOGNIZED");
        Add("health", "GET on a report path", HttpMethod.Get, RelayHarness.RoomReportPath(w.Room), null, null, token, 405, "M_UNRECOGNIZED");
        return list;
    }

    /// <summary>Replayed, reordered and restarted-counter transactions: each report filed exactly once.</summary>
    private static async Task TransactionsAsync(RelayHarness relay, World w, FigureTable table)
    {
        var hs = relay.Homeserver;
        JsonObject Flag(int reporter)
        {
            var target = w.Spam();
            var id = hs.SendEvent(w.Room, w.Reporters[reporter].Id, "m.reaction", new JsonObject
            {
                ["m.relates_to"] = new JsonObject { ["rel_type"] = "m.annotation", ["event_id"] = target, ["key"] = "🚩" },
            });
            return hs.Timeline(w.Room).Single(e => (string?)e["event_id"] == id);
        }
        async Task<long> Reports() => (await StoreSnapshot.TakeAsync(relay.DataPath))["Reports"];
        async Task<bool> PushAsync(IEnumerable<JsonObject> events, string txnId)
        {
            using var response = await relay.PushAsync(events, txnId);
            return response.IsSuccessStatusCode;
        }

        var start = await Reports();
        var a = Flag(0);
        var ok = await PushAsync([a], "order-a");
        var afterA = await Reports();
        ok &= await PushAsync([a], "order-a");
        ok &= await PushAsync([a], "order-a");
        var replays = await Reports() - afterA;
        var b = Flag(1);
        var c = Flag(2);
        ok &= await PushAsync([c], "order-c");
        ok &= await PushAsync([b], "order-b");
        ok &= await PushAsync([b], "order-b");
        ok &= await PushAsync([a], "order-a");
        var reordered = await Reports() - afterA;
        // A homeserver whose counter restarted reuses "order-a" for new events: Relay must not ignore them.
        var d = Flag(0);
        ok &= await PushAsync([d], "order-a");
        var restarted = await Reports() - afterA - reordered;
        // The same event arriving again in another transaction files nothing new either.
        ok &= await PushAsync([a, b], "order-e");
        var redelivered = await Reports() - afterA - reordered - restarted;
        table.Add(Area, "transactions pushed (replayed, reordered, restarted counter)", 10);
        table.Zero(Area, "transactions not acknowledged 200", ok ? 0 : 1);
        table.Add(Area, "first transaction filed", afterA - start, new Rule.EqualTo(1, "1"));
        table.Zero(Area, "reports filed again by replayed transactions", replays + redelivered);
        table.Add(Area, "reports filed by reordered transactions", reordered, new Rule.EqualTo(2, "2"));
        table.Add(Area, "reports filed by a reused txnId with new events", restarted, new Rule.EqualTo(1, "1"));
    }

    /// <summary>Seeded random mutations of valid requests: never a 5xx, never a non-Matrix error, nothing stored when rejected.</summary>
    private static async Task FuzzAsync(RelayHarness relay, World w, RunSettings run, FigureTable table)
    {
        var random = new Random(run.Seed);
        var count = run.Count(400, 4000);
        var hs = relay.Homeserver;
        var spam = w.Spam();
        long ok = 0, matrixErrors = 0, pages = 0, kestrel = 0, fiveXx = 0, notMatrix = 0, changed = 0;
        for (var i = 0; i < count; i++)
        {
            var probe = Mutations.Next(random, relay, w, spam, i);
            var before = await StoreSnapshot.TakeAsync(relay.DataPath);
            using var response = await relay.Client.SendAsync(probe.ToRequest());
            var (status, errcode, isMatrix) = await ProbeOutcome.ReadAsync(response);
            var after = await StoreSnapshot.TakeAsync(relay.DataPath);
            var htmlPage = probe.Path == "/report" && probe.Method == HttpMethod.Post
                && response.Content.Headers.ContentType?.MediaType == "text/html";
            if (status is >= 200 and < 300)
            {
                ok++;
                continue;
            }
            fiveXx += status >= 500 ? 1 : 0;
            if (htmlPage)
            {
                pages++;
            }
            else if (isMatrix)
            {
                matrixErrors++;
            }
            else if (status == 400 && response.Content.Headers.ContentLength == 0 && probe.Path.Contains("%00", StringComparison.Ordinal))
            {
                kestrel++;
            }
            else
            {
                notMatrix++;
                table.Note($"random #{i} ({probe.Name}): {status} without a Matrix error body");
            }
            var changes = after.ChangedSince(before);
            if (changes.Count > 0)
            {
                changed++;
                table.Note($"random #{i} ({probe.Name}): rejected with {status} {errcode} but changed {string.Join(", ", changes)}");
            }
            if (status >= 500)
            {
                table.Note($"random #{i} ({probe.Name}): {status} {errcode}");
            }
        }
        table.Add(Fuzz, $"mutations of valid requests tried (seed {run.Seed})", count);
        table.Add(Fuzz, "accepted (still valid after mutation)", ok);
        table.Add(Fuzz, "rejected with a Matrix error", matrixErrors);
        table.Add(Fuzz, "rejected with a web form page", pages);
        table.Add(Fuzz, "refused by Kestrel before Relay (NUL in the path)", kestrel);
        table.Zero(Fuzz, "answered without a Matrix error body", notMatrix);
        table.Zero(Fuzz, "5xx seen", fiveXx);
        table.Zero(Fuzz, "state changed by a rejected request", changed);
        _ = hs;
    }
}
