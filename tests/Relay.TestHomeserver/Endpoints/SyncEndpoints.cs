using System.Text.Json;
using System.Text.Json.Nodes;
using Relay.TestHomeserver.Http;
using Relay.TestHomeserver.State;

namespace Relay.TestHomeserver.Endpoints;

/// <summary>
/// GET /sync, as far as learning who invited the caller goes. Like Synapse 1.67: every pending invite, whatever the filter,
/// with its stripped state (the create event, the name, and the invite itself, sent by the inviter); and, for the rooms the
/// filter names with <c>include_leave</c>, a left room's timeline of the caller's own last membership event, carrying
/// Synapse's <c>unsigned.prev_content</c> and <c>unsigned.prev_sender</c>. Joined rooms and everything else stay empty.
/// </summary>
internal static class SyncEndpoints
{
    public static RouteTable MapSync(this RouteTable routes) => routes.Client("GET", "sync", AuthMode.User, Sync);

    private static Task<RouteResult> Sync(RequestContext context)
    {
        var user = context.Caller.UserId;
        var (rooms, includeLeave) = Filter(context.Query("filter"));
        var invite = new JsonObject();
        var leave = new JsonObject();
        lock (context.State.Gate)
        {
            foreach (var roomId in context.State.RoomIds())
            {
                var room = context.State.RequireRoom(roomId);
                switch (room.Membership(user))
                {
                    case "invite":
                        invite[roomId] = new JsonObject { ["invite_state"] = new JsonObject { ["events"] = InviteState(room, user) } };
                        break;
                    case "leave" when includeLeave && rooms?.Contains(roomId) != false:
                        leave[roomId] = new JsonObject { ["timeline"] = new JsonObject { ["events"] = OwnLastMembership(context.State, room, user) } };
                        break;
                }
            }
        }
        return Task.FromResult<RouteResult>(new JsonObject
        {
            ["next_batch"] = "s1",
            ["rooms"] = new JsonObject { ["join"] = new JsonObject(), ["invite"] = invite, ["leave"] = leave },
        });
    }

    private static JsonArray InviteState(Room room, string user)
    {
        var events = new JsonArray();
        foreach (var type in new[] { "m.room.create", "m.room.name", "m.room.join_rules" })
        {
            if (room.StateEvent(type, "") is { } evt)
            {
                events.Add((JsonNode)Stripped(evt));
            }
        }
        events.Add((JsonNode)Stripped(room.StateEvent("m.room.member", user)!));
        return events;
    }

    private static JsonObject Stripped(JsonObject evt) => new()
    {
        ["type"] = evt["type"]!.DeepClone(),
        ["state_key"] = evt["state_key"]!.DeepClone(),
        ["sender"] = evt["sender"]!.DeepClone(),
        ["content"] = evt["content"]!.DeepClone(),
    };

    private static JsonArray OwnLastMembership(HomeserverState state, Room room, string user)
    {
        var own = room.Timeline.Where(e => (string?)e["type"] == "m.room.member" && (string?)e["state_key"] == user).ToList();
        var last = state.ClientEvent(own[^1]);
        if (own.Count > 1)
        {
            var unsigned = (JsonObject)last["unsigned"]!;
            unsigned["prev_content"] = own[^2]["content"]!.DeepClone();
            unsigned["prev_sender"] = own[^2]["sender"]!.DeepClone();
        }
        return [last];
    }

    /// <summary>The filter's room list (null: every room) and include_leave; an unreadable filter is M_BAD_JSON, as on Synapse.</summary>
    private static (HashSet<string>? Rooms, bool IncludeLeave) Filter(string? raw)
    {
        if (raw is null)
        {
            return (null, false);
        }
        try
        {
            var room = JsonNode.Parse(raw)?["room"];
            var rooms = room?["rooms"] is JsonArray list ? list.Select(r => (string)r!).ToHashSet(StringComparer.Ordinal) : null;
            return (rooms, (bool?)room?["include_leave"] ?? false);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw MatrixException.BadJson("The filter is not valid JSON.");
        }
    }
}
