using System.Text.Json.Nodes;
using Relay.TestHomeserver.Http;
using Relay.TestHomeserver.State;

namespace Relay.TestHomeserver.Endpoints;

/// <summary>room_state.yaml and rooms.yaml: room state and member lists; readers must be joined (403 otherwise).</summary>
internal static class StateEndpoints
{
    private static readonly string[] Memberships = ["join", "invite", "knock", "leave", "ban"];

    public static RouteTable MapState(this RouteTable routes) => routes
        .Client("PUT", "rooms/{roomId}/state/{eventType}/{stateKey?}", AuthMode.User, PutState)
        .Client("PUT", "rooms/{roomId}/state/{eventType}", AuthMode.User, PutState)
        .Client("GET", "rooms/{roomId}/state/{eventType}/{stateKey?}", AuthMode.User, GetState)
        .Client("GET", "rooms/{roomId}/state/{eventType}", AuthMode.User, GetState)
        .Client("GET", "rooms/{roomId}/state", AuthMode.User, GetAllState)
        .Client("GET", "rooms/{roomId}/joined_members", AuthMode.User, JoinedMembers)
        .Client("GET", "rooms/{roomId}/members", AuthMode.User, MemberEvents);

    /// <summary>The state key, or "" on the routes without one.</summary>
    private static string Key(RequestContext context) => context.OptionalParam("stateKey") ?? "";

    private static Task<RouteResult> PutState(RequestContext context)
    {
        var roomId = context.RoomIdParam();
        var type = context.Param("eventType");
        var stateKey = Key(context);
        lock (context.State.Gate)
        {
            var room = context.JoinedRoomOrForbidden(roomId);
            RoomRules.RequireCanSend(room, context.Caller.UserId, type, stateKey);
            if (type == "m.room.canonical_alias")
            {
                CheckCanonicalAlias(context, room);
            }

            var evt = context.State.Append(room, context.Caller.UserId, type, context.Body, stateKey);
            return Task.FromResult<RouteResult>(new JsonObject { ["event_id"] = (string)evt["event_id"]! });
        }
    }

    /// <summary>?format=event returns the whole event, the default (content) only its content.</summary>
    private static Task<RouteResult> GetState(RequestContext context)
    {
        var roomId = context.RoomIdParam();
        var type = context.Param("eventType");
        var format = context.Query("format") ?? "content";
        if (format is not ("content" or "event"))
        {
            throw MatrixException.InvalidParam("format must be 'content' or 'event'");
        }

        lock (context.State.Gate)
        {
            var room = context.JoinedRoomOrForbidden(roomId);
            var evt = room.StateEvent(type, Key(context)) ?? throw MatrixException.NotFound("Event not found.");
            var client = context.State.ClientEvent(evt);
            if (format == "event" && context.Core.Options.StateEventWithoutEventId)
            {
                client.Remove("event_id");
            }
            return Task.FromResult<RouteResult>(format == "event" ? client : client["content"]!.DeepClone().AsObject());
        }
    }

    private static Task<RouteResult> GetAllState(RequestContext context)
    {
        lock (context.State.Gate)
        {
            var room = context.JoinedRoomOrForbidden(context.RoomIdParam());
            var events = room.CurrentState.Select(e => (JsonNode)context.State.ClientEvent(e));
            return Task.FromResult<RouteResult>(new JsonArray([.. events]));
        }
    }

    private static Task<RouteResult> JoinedMembers(RequestContext context)
    {
        lock (context.State.Gate)
        {
            var room = context.JoinedRoomOrForbidden(context.RoomIdParam());
            var joined = new JsonObject();
            foreach (var user in room.Members("join"))
            {
                var content = room.StateEvent("m.room.member", user)!["content"]!;
                var profile = new JsonObject();
                foreach (var (from, to) in new[] { ("displayname", "display_name"), ("avatar_url", "avatar_url") })
                {
                    if (content[from] is JsonValue value)
                    {
                        profile[to] = value.DeepClone();
                    }
                }

                joined[user] = profile;
            }

            return Task.FromResult<RouteResult>(new JsonObject { ["joined"] = joined });
        }
    }

    private static Task<RouteResult> MemberEvents(RequestContext context)
    {
        var membership = QueryMembership(context, "membership");
        var notMembership = QueryMembership(context, "not_membership");
        lock (context.State.Gate)
        {
            var room = context.JoinedRoomOrForbidden(context.RoomIdParam());
            var chunk = room.CurrentState
                .Where(e => (string?)e["type"] == "m.room.member")
                .Where(e => membership is null || (string?)e["content"]?["membership"] == membership)
                .Where(e => notMembership is null || (string?)e["content"]?["membership"] != notMembership)
                .Select(e => (JsonNode)context.State.ClientEvent(e));
            return Task.FromResult<RouteResult>(new JsonObject { ["chunk"] = new JsonArray([.. chunk]) });
        }
    }

    private static string? QueryMembership(RequestContext context, string name)
    {
        var value = context.Query(name);
        return value is null || Memberships.Contains(value)
            ? value
            : throw MatrixException.InvalidParam($"{name} must be one of {string.Join(", ", Memberships)}");
    }

    /// <summary>Aliases must be well formed (M_INVALID_PARAM) and local ones must point here (M_BAD_ALIAS).</summary>
    private static void CheckCanonicalAlias(RequestContext context, Room room)
    {
        var aliases = new List<string>();
        if (context.Body.OptionalString("alias") is { } alias)
        {
            aliases.Add(alias);
        }

        aliases.AddRange(context.Body.OptionalStringArray("alt_aliases"));
        foreach (var a in aliases)
        {
            MatrixIds.Alias(a);
            if (MatrixIds.ServerOf(a) == context.Core.ServerName && context.State.ResolveAlias(a) != room.Id)
            {
                throw new MatrixException(400, "M_BAD_ALIAS", $"The alias '{a}' does not point to this room.");
            }
        }
    }
}
