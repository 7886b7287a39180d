using System.Text.Json.Nodes;
using Relay.TestHomeserver;

namespace Relay.Reliability.Scenarios;

/// <summary>
/// A protected community room on a test homeserver: @owner (100), @mod (50), the bot (100), @spammer and
/// <c>reporters</c> members who file reports. Built straight on the homeserver, so it serves both an in-process
/// Relay and a child process.
/// </summary>
public sealed class World
{
    private World(TestHomeserver.TestHomeserver homeserver, string room, IReadOnlyList<(string Id, string Token)> reporters)
    {
        Homeserver = homeserver;
        Room = room;
        Reporters = reporters;
    }

    public TestHomeserver.TestHomeserver Homeserver { get; }

    public string Room { get; }

    public IReadOnlyList<(string Id, string Token)> Reporters { get; }

    public string Owner => U("owner");

    public string Mod => U("mod");

    public string Spammer => U("spammer");

    public string Bot => Homeserver.SenderUserId;

    public string U(string localpart) => $"@{localpart}:{Homeserver.ServerName}";

    public static World Create(TestHomeserver.TestHomeserver homeserver, int reporters, string? name = null)
    {
        string U(string localpart) => $"@{localpart}:{homeserver.ServerName}";
        var prefix = name is null ? "" : name + "-";
        foreach (var user in new[] { "owner", "mod", "spammer" })
        {
            homeserver.RegisterUser(U(user));
        }
        var ids = Enumerable.Range(0, reporters).Select(i => U($"{prefix}reporter{i}")).ToList();
        var tokens = ids.Select(homeserver.RegisterUser).ToList();
        var room = homeserver.CreateRoom(U("owner"), new RoomSetup
        {
            Members = [U("mod"), U("spammer"), .. ids],
            PowerLevels = new JsonObject
            {
                ["users"] = new JsonObject { [U("owner")] = 100, [U("mod")] = 50, [homeserver.SenderUserId] = 100 },
                ["users_default"] = 0,
                ["events_default"] = 0,
                ["state_default"] = 50,
                ["kick"] = 50,
                ["ban"] = 50,
                ["redact"] = 50,
                ["invite"] = 0,
            },
        });
        homeserver.Join(room, homeserver.SenderUserId);
        return new World(homeserver, room, [.. ids.Zip(tokens)]);
    }

    public string Spam(string body = "buy cheap followers") =>
        Homeserver.SendEvent(Room, Spammer, "m.room.message", new JsonObject { ["msgtype"] = "m.text", ["body"] = body });

    public static string EventReportPath(string roomId, string eventId) =>
        $"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/report/{Uri.EscapeDataString(eventId)}";

    public static HttpRequestMessage Report(string roomId, string eventId, string token, string reason)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, EventReportPath(roomId, eventId))
        {
            Content = new StringContent(new JsonObject { ["reason"] = reason }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>A message in <paramref name="room"/> as a client would send it, returned in the form a transaction carries.</summary>
    public JsonObject Say(string room, string sender, string body)
    {
        var id = Homeserver.SendEvent(room, sender, "m.room.message", new JsonObject { ["msgtype"] = "m.text", ["body"] = body });
        return Homeserver.Timeline(room).Single(e => (string?)e["event_id"] == id);
    }
}
