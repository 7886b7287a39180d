using System.Text;
using System.Text.Json.Nodes;
using Relay.Tests.Harness;

namespace Relay.Reliability.Scenarios;

/// <summary>Random mutations of valid requests, from a seeded <see cref="Random"/>: same seed, same requests.</summary>
public static class Mutations
{
    private static readonly string[] Junk =
    [
        "", " ", "\u0000", "\u0001\u001f", "../../etc/passwd", "%2e%2e%2f", "@", "!", "$", "#", ":", "@:", "!:x", "$x:",
        "\ud800", "\u202e", "<script>", "' OR 1=1 --", "\\", "/", "?", "%00", "\r\n", new string('z', 300), new string('é', 700),
    ];

    private static readonly string[] Harms = ["m.spam", "m.harassment", "m.child_safety.csam", "m.other", "m.spam.fraud"];

    public static Probe Next(Random random, RelayHarness relay, World w, string spam, int index)
    {
        var token = w.Reporters[random.Next(w.Reporters.Count)].Token;
        var kind = random.Next(6);
        var (path, body, method, contentType, tok) = kind switch
        {
            0 => ("/" + World.EventReportPath(w.Room, spam), new JsonObject { ["reason"] = "fuzz report text", ["score"] = -50 }, HttpMethod.Post, "application/json", token),
            1 => (RelayHarness.SafetyReportPath($"fuzz-{index}"), new JsonObject
            {
                ["type"] = "complaint", ["regarding"] = spam, ["room_id"] = w.Room, ["harm"] = Harms[random.Next(Harms.Length)],
                ["description"] = "fuzz report text",
            }, HttpMethod.Post, "application/json", token),
            2 => (RelayHarness.RoomReportPath(w.Room), new JsonObject { ["reason"] = "fuzz report text" }, HttpMethod.Post, "application/json", token),
            3 => (RelayHarness.UserReportPath(w.Spammer), new JsonObject { ["reason"] = "fuzz report text" }, HttpMethod.Post, "application/json", token),
            4 => ($"/_matrix/app/v1/transactions/fuzz-{index}", new JsonObject
            {
                ["events"] = new JsonArray(new JsonObject
                {
                    ["type"] = "m.reaction", ["room_id"] = w.Room, ["sender"] = w.Reporters[0].Id, ["event_id"] = $"$fuzz{index}",
                    ["origin_server_ts"] = 1, ["content"] = new JsonObject
                    {
                        ["m.relates_to"] = new JsonObject { ["rel_type"] = "m.annotation", ["event_id"] = spam, ["key"] = "🚩" },
                    },
                }),
            }, HttpMethod.Put, "application/json", relay.Homeserver.HsToken),
            _ => ("/report", new JsonObject
            {
                ["link"] = $"https://matrix.to/#/{w.Room}/{spam}", ["harm"] = Harms[random.Next(Harms.Length)], ["description"] = "fuzz report text",
            }, HttpMethod.Post, "application/x-www-form-urlencoded", null),
        };
        var names = new List<string> { kind switch { 0 => "event", 1 => "msc4457", 2 => "room", 3 => "user", 4 => "txn", _ => "form" } };
        var mutations = 1 + random.Next(3);
        byte[]? bytes = null;
        for (var m = 0; m < mutations; m++)
        {
            switch (random.Next(12))
            {
                case 0 when body.Count > 0:
                    var drop = body.ElementAt(random.Next(body.Count)).Key;
                    body.Remove(drop);
                    names.Add("drop " + drop);
                    break;
                case 1 when body.Count > 0:
                    var key = body.ElementAt(random.Next(body.Count)).Key;
                    body[key] = RandomValue(random);
                    names.Add("retype " + key);
                    break;
                case 2 when body.Count > 0:
                    var field = body.ElementAt(random.Next(body.Count)).Key;
                    body[field] = Junk[random.Next(Junk.Length)];
                    names.Add("junk " + field);
                    break;
                case 3:
                    body["extra" + random.Next(3)] = RandomValue(random);
                    names.Add("extra field");
                    break;
                case 4:
                    path = MutatePath(random, path);
                    names.Add("path");
                    break;
                case 5:
                    tok = random.Next(3) switch { 0 => null, 1 => "syt_fuzz_wrong_token", _ => relay.Homeserver.AsToken };
                    names.Add("token");
                    break;
                case 6:
                    method = new[] { HttpMethod.Get, HttpMethod.Put, HttpMethod.Post, HttpMethod.Delete, HttpMethod.Patch }[random.Next(5)];
                    names.Add("method " + method);
                    break;
                case 7:
                    contentType = new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded", "application/json; charset=latin1", null }[random.Next(5)];
                    names.Add("content type");
                    break;
                default:
                    bytes ??= Serialize(body, contentType);
                    bytes = MutateBytes(random, bytes);
                    names.Add("bytes");
                    break;
            }
        }
        bytes ??= Serialize(body, contentType);
        if (method == HttpMethod.Get)
        {
            bytes = null;
        }
        return new Probe("random", string.Join(", ", names), method, path, bytes, contentType, tok, 0, null);
    }

    private static byte[] Serialize(JsonObject body, string? contentType) =>
        contentType == "application/x-www-form-urlencoded" && body.ContainsKey("link")
            ? Encoding.UTF8.GetBytes(string.Join('&', body.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value?.ToString() ?? "")}")))
            : Encoding.UTF8.GetBytes(body.ToJsonString());

    private static JsonNode? RandomValue(Random random) => random.Next(8) switch
    {
        0 => null,
        1 => random.Next(),
        2 => random.Next(2) == 0,
        3 => new JsonArray("x", 1),
        4 => new JsonObject { ["nested"] = new JsonObject { ["deeper"] = "x" } },
        5 => 1.5e308,
        6 => new string('w', random.Next(2000)),
        _ => Junk[random.Next(Junk.Length)],
    };

    private static string MutatePath(Random random, string path)
    {
        var segments = path.Split('/');
        var at = 1 + random.Next(segments.Length - 1);
        segments[at] = random.Next(5) switch
        {
            0 => Uri.EscapeDataString(Junk[random.Next(Junk.Length)]),
            1 => segments[at] + Uri.EscapeDataString(Junk[random.Next(Junk.Length)]),
            2 => segments[at].Length > 1 ? segments[at][..random.Next(segments[at].Length)] : "",
            3 => "..",
            _ => segments[at] + new string('a', 300),
        };
        var mutated = string.Join('/', segments);
        // "//x/..." would be read as a URL with host x; keep every probe on Relay.
        return mutated.StartsWith("//", StringComparison.Ordinal) ? "/%2F" + mutated[2..] : mutated;
    }

    private static byte[] MutateBytes(Random random, byte[] bytes)
    {
        var list = bytes.ToList();
        switch (random.Next(5))
        {
            case 0 when list.Count > 0:
                list.RemoveRange(random.Next(list.Count), list.Count - random.Next(list.Count) > 0 ? 1 : 0);
                return [.. list.Take(random.Next(list.Count + 1))];
            case 1:
                list.Insert(random.Next(list.Count + 1), (byte)random.Next(256));
                return [.. list];
            case 2:
                list.InsertRange(random.Next(list.Count + 1), new byte[] { 0xFF, 0xC0, 0x80 });
                return [.. list];
            case 3 when list.Count > 0:
                list[random.Next(list.Count)] = (byte)random.Next(256);
                return [.. list];
            default:
                var depth = 20 + random.Next(200);
                return [.. Encoding.UTF8.GetBytes("{\"reason\":" + new string('[', depth)), .. bytes, .. Encoding.UTF8.GetBytes(new string(']', depth) + "}")];
        }
    }
}
