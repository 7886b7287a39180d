using System.Text.Json.Nodes;
using static Relay.Synapse.Tests.Harness.Http;

namespace Relay.Synapse.Tests.Harness;

/// <summary>A Synapse user acting through the client-server API, as their client would.</summary>
public sealed class MatrixUser(Uri homeserver, string userId, string token, HttpClient http)
{
    private int _txn;
    private int _syncs;

    public string UserId { get; } = userId;

    public string Token { get; } = token;

    public string ServerName => UserId[(UserId.IndexOf(':', StringComparison.Ordinal) + 1)..];

    public Uri Client(string path) => new(homeserver, "_matrix/client/v3/" + path);

    public Task<JsonObject> OkAsync(HttpMethod method, string path, JsonNode? body = null) =>
        Http.OkAsync(http, method, Client(path), Token, body);

    /// <summary>A room this user creates (and so moderates, at power level 100); public unless said otherwise.</summary>
    public async Task<string> CreateRoomAsync(string preset = "public_chat", string[]? invite = null, bool isDirect = false)
    {
        var body = new JsonObject { ["preset"] = preset, ["is_direct"] = isDirect };
        if (invite is not null)
        {
            body["invite"] = new JsonArray([.. invite.Select(u => (JsonNode)u)]);
        }
        return (string)(await OkAsync(HttpMethod.Post, "createRoom", body))["room_id"]!;
    }

    public Task JoinAsync(string room) => OkAsync(HttpMethod.Post, $"join/{Escape(room)}");

    public Task InviteAsync(string room, string user) =>
        OkAsync(HttpMethod.Post, $"rooms/{Escape(room)}/invite", new JsonObject { ["user_id"] = user });

    public async Task<string> SendAsync(string room, string type, JsonObject content) =>
        (string)(await OkAsync(HttpMethod.Put,
            $"rooms/{Escape(room)}/send/{Escape(type)}/t{Environment.TickCount64}-{Interlocked.Increment(ref _txn)}", content))["event_id"]!;

    public Task<string> SayAsync(string room, string body) =>
        SendAsync(room, "m.room.message", new JsonObject { ["msgtype"] = "m.text", ["body"] = body });

    public Task SetStateAsync(string room, string type, string key, JsonObject content) =>
        OkAsync(HttpMethod.Put, $"rooms/{Escape(room)}/state/{Escape(type)}/{Escape(key)}", content);

    /// <summary>The content of a state event, or null when there is none.</summary>
    public async Task<JsonObject?> StateAsync(string room, string type, string key = "")
    {
        var (status, body) = await Http.SendAsync(http, HttpMethod.Get, Client($"rooms/{Escape(room)}/state/{Escape(type)}/{Escape(key)}"), Token);
        return status == 404 ? null : status == 200 ? body : throw new InvalidOperationException($"state read answered {status}: {body}");
    }

    public async Task<string?> MembershipAsync(string room, string user) =>
        (string?)(await StateAsync(room, "m.room.member", user))?["membership"];

    public Task<JsonObject> EventAsync(string room, string eventId) =>
        OkAsync(HttpMethod.Get, $"rooms/{Escape(room)}/event/{Escape(eventId)}");

    /// <summary>The room's newest events (up to 100), newest first.</summary>
    public async Task<List<JsonObject>> MessagesAsync(string room) =>
        [.. ((JsonArray)(await OkAsync(HttpMethod.Get, $"rooms/{Escape(room)}/messages?dir=b&limit=100"))["chunk"]!).OfType<JsonObject>()];

    public async Task<List<string>> InvitesAsync()
    {
        var filter = Escape("""{"room":{"timeline":{"limit":1},"state":{"lazy_load_members":true}},"presence":{"not_types":["*"]}}""");
        // Synapse answers a repeated identical sync from its response cache for 2 minutes (sync_response_cache_duration),
        // so an initial sync polled with the same parameters never shows a new invite. The timeout is part of the
        // cache's key and means nothing to an initial sync: a different one each time gets a fresh answer.
        var sync = await OkAsync(HttpMethod.Get, $"sync?timeout={Interlocked.Increment(ref _syncs)}&filter={filter}");
        return sync["rooms"]?["invite"] is JsonObject invites ? [.. invites.Select(i => i.Key)] : [];
    }

    public async Task<List<string>> JoinedRoomsAsync() =>
        [.. ((JsonArray)(await OkAsync(HttpMethod.Get, "joined_rooms"))["joined_rooms"]!).Select(r => (string)r!)];

    /// <summary>
    /// Waits for a message from <paramref name="sender"/> matching <paramref name="match"/> in any room this user is in
    /// or invited to, accepting invitations as a person would (a case room, a DM from the bot).
    /// </summary>
    public async Task<(string Room, JsonObject Event)> WaitForMessageAsync(string sender, Func<string, bool> match, string what)
    {
        var (room, found) = await Eventually.GetAsync(what, async () =>
        {
            foreach (var invited in await InvitesAsync())
            {
                await Http.SendAsync(http, HttpMethod.Post, Client($"join/{Escape(invited)}"), Token);
            }
            foreach (var room in await JoinedRoomsAsync())
            {
                var found = (await MessagesAsync(room)).FirstOrDefault(e => (string?)e["sender"] == sender
                    && (string?)e["type"] == "m.room.message" && e["content"]?["body"] is JsonValue body && match((string)body!));
                if (found is not null)
                {
                    return Tuple.Create(room, found);
                }
            }
            return null;
        });
        return (room, found);
    }
}
