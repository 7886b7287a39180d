using System.Text;
using System.Text.Json.Nodes;
using Relay.TestHomeserver;

namespace Relay.Benchmarks.Load;

/// <summary>
/// What the report figures report on, seeded straight into the test homeserver: rooms whose members are
/// the reporters, a spammer, the bot and the owner who moderates them, and many events so that reports spread over many cases.
/// </summary>
public sealed class ReportWorld
{
    public static readonly byte[] ReportBody = Encoding.UTF8.GetBytes("""{"reason":"spam, again","score":-100}""");

    private ReportWorld(IReadOnlyList<string> tokens, IReadOnlyList<string> paths, IReadOnlyList<string> rooms)
    {
        Tokens = tokens;
        Paths = paths;
        Rooms = rooms;
    }

    /// <summary>The reported rooms, to be protected as their owner's invite of the bot would: only then are their moderators a case's.</summary>
    public IReadOnlyList<string> Rooms { get; }

    /// <summary>Settings that protect <see cref="Rooms"/> (<c>Relay:Reports:ProtectedRooms</c>).</summary>
    public IEnumerable<KeyValuePair<string, string?>> ProtectedRoomSettings() =>
        Rooms.Select((room, i) => new KeyValuePair<string, string?>($"Relay:Reports:ProtectedRooms:{i}", room));

    /// <summary>One access token per reporter, so the per-reporter limit is not what is measured.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>The event report paths, one per reportable event; each event becomes its own case.</summary>
    public IReadOnlyList<string> Paths { get; }

    public static ReportWorld Seed(TestHomeserver.TestHomeserver homeserver, int reporters, int events, int rooms = 10)
    {
        var users = new List<string>(reporters);
        var tokens = new List<string>(reporters);
        for (var i = 0; i < reporters; i++)
        {
            var user = $"@reporter{i}:{homeserver.ServerName}";
            users.Add(user);
            tokens.Add(homeserver.RegisterUser(user));
        }
        var sender = $"@spammer:{homeserver.ServerName}";
        homeserver.RegisterUser(sender);
        // The owner (power level 100) is the room's one moderator, so every case room invites somebody, as a real one does.
        var owner = $"@owner:{homeserver.ServerName}";
        homeserver.RegisterUser(owner);
        var roomIds = new List<string>(rooms);
        for (var r = 0; r < rooms; r++)
        {
            roomIds.Add(homeserver.CreateRoom(owner, new RoomSetup { Members = [.. users, sender, homeserver.SenderUserId] }));
        }
        var paths = new List<string>(events);
        for (var e = 0; e < events; e++)
        {
            var room = roomIds[e % rooms];
            var id = homeserver.SendEvent(room, sender, "m.room.message",
                new JsonObject { ["msgtype"] = "m.text", ["body"] = $"buy cheap things #{e}" });
            paths.Add(EventReportPath(room, id));
        }
        return new ReportWorld(tokens, paths, roomIds);
    }

    public static string EventReportPath(string roomId, string eventId) =>
        $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/report/{Uri.EscapeDataString(eventId)}";

    /// <summary>Request <paramref name="i"/>: the reporter and the event step independently, so pairs rarely repeat.</summary>
    public HttpRequestMessage Request(int i) => Request(i % Paths.Count, (i / Paths.Count + i) % Tokens.Count);

    /// <summary>A report of event <paramref name="eventIndex"/> by reporter <paramref name="reporterIndex"/>.</summary>
    public HttpRequestMessage Request(int eventIndex, int reporterIndex)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Paths[eventIndex])
        {
            Content = new ByteArrayContent(ReportBody),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Tokens[reporterIndex]);
        return request;
    }
}
