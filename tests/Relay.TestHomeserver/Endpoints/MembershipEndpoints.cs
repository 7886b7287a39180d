using System.Text.Json.Nodes;
using Relay.TestHomeserver.Http;
using Relay.TestHomeserver.State;

namespace Relay.TestHomeserver.Endpoints;

/// <summary>inviting, joining, leaving, kicking, banning: membership changes with the spec's membership and power rules.</summary>
internal static class MembershipEndpoints
{
    public static RouteTable MapMembership(this RouteTable routes) => routes
        .Client("POST", "rooms/{roomId}/invite", AuthMode.User, Invite)
        .Client("POST", "rooms/{roomId}/join", AuthMode.User, JoinById)
        .Client("POST", "join/{roomIdOrAlias}", AuthMode.User, JoinByIdOrAlias)
        .Client("POST", "rooms/{roomId}/leave", AuthMode.User, Leave)
        .Client("POST", "rooms/{roomId}/kick", AuthMode.User, Kick)
        .Client("POST", "rooms/{roomId}/ban", AuthMode.User, Ban)
        .Client("POST", "rooms/{roomId}/unban", AuthMode.User, Unban);

    private static Task<RouteResult> Invite(RequestContext context) => Change(context, (room, sender, target, reason) =>
    {
        RoomRules.RequireJoined(room, sender);
        switch (room.Membership(target!))
        {
            case "join":
                throw MatrixException.Forbidden($"{target} is already in the room.");
            case "ban":
                throw MatrixException.Forbidden($"{target} is banned from the room.");
        }

        RoomRules.RequireAction(room, sender, "invite");
        context.State.SetMembership(room, sender, target!, "invite", reason);
    });

    private static Task<RouteResult> JoinById(RequestContext context) => Join(context, context.RoomIdParam());

    private static Task<RouteResult> JoinByIdOrAlias(RequestContext context)
    {
        var target = context.Param("roomIdOrAlias");
        if (target.StartsWith('#'))
        {
            var alias = MatrixIds.Alias(target);
            return Join(context, context.State.ResolveAlias(alias) ?? throw MatrixException.NotFound($"Room alias {alias} not found."));
        }

        return Join(context, MatrixIds.RoomId(target, "room id or alias"));
    }

    /// <summary>Public rooms admit anyone not banned; otherwise (including no m.room.join_rules at all) an invite is needed.</summary>
    private static Task<RouteResult> Join(RequestContext context, string roomId)
    {
        var reason = context.Body.OptionalString("reason");
        context.Body.OptionalObject("third_party_signed");
        var user = context.Caller.UserId;
        lock (context.State.Gate)
        {
            var room = context.RoomOrNotFound(roomId);
            var joinRule = (string?)room.StateEvent("m.room.join_rules", "")?["content"]?["join_rule"] ?? "invite";
            var membership = room.Membership(user);
            if (membership == "ban")
            {
                throw MatrixException.Forbidden($"{user} is banned from the room.");
            }

            if (membership is not ("join" or "invite") && joinRule != "public")
            {
                throw MatrixException.Forbidden($"{user} is not invited to the room (join rule '{joinRule}').");
            }

            if (membership != "join")
            {
                context.State.SetMembership(room, user, user, "join", reason);
            }

            return Task.FromResult<RouteResult>(new JsonObject { ["room_id"] = room.Id });
        }
    }

    private static Task<RouteResult> Leave(RequestContext context)
    {
        var roomId = context.RoomIdParam();
        var reason = context.Body.OptionalString("reason");
        var user = context.Caller.UserId;
        lock (context.State.Gate)
        {
            var room = context.RoomOrNotFound(roomId);
            if (room.Membership(user) is not ("join" or "invite" or "knock"))
            {
                throw MatrixException.Forbidden($"{user} is not in the room.");
            }

            context.State.SetMembership(room, user, user, "leave", reason);
            return Task.FromResult(RouteResult.Empty());
        }
    }

    private static Task<RouteResult> Kick(RequestContext context) => Change(context, (room, sender, target, reason) =>
    {
        RoomRules.RequireJoined(room, sender);
        if (room.Membership(target!) is not ("join" or "invite" or "knock"))
        {
            throw MatrixException.Forbidden($"{target} is not in the room.");
        }

        RoomRules.RequireAbove(room, sender, target!, "kick");
        context.State.SetMembership(room, sender, target!, "leave", reason);
    });

    private static Task<RouteResult> Ban(RequestContext context) => Change(context, (room, sender, target, reason) =>
    {
        RoomRules.RequireJoined(room, sender);
        RoomRules.RequireAbove(room, sender, target!, "ban");
        context.State.SetMembership(room, sender, target!, "ban", reason);
    });

    private static Task<RouteResult> Unban(RequestContext context) => Change(context, (room, sender, target, reason) =>
    {
        RoomRules.RequireJoined(room, sender);
        if (room.Membership(target!) != "ban")
        {
            throw MatrixException.Forbidden($"{target} is not banned.");
        }

        RoomRules.RequireAbove(room, sender, target!, "ban");
        context.State.SetMembership(room, sender, target!, "leave", reason);
    });

    /// <summary>Parses {user_id, reason?} and runs <paramref name="apply"/> under the state lock on an existing room.</summary>
    private static Task<RouteResult> Change(RequestContext context, Action<Room, string, string?, string?> apply)
    {
        var roomId = context.RoomIdParam();
        var target = MatrixIds.UserId(context.Body.RequiredString("user_id"));
        var reason = context.Body.OptionalString("reason");
        lock (context.State.Gate)
        {
            var room = context.RoomOrNotFound(roomId);
            apply(room, context.Caller.UserId, target, reason);
        }

        return Task.FromResult(RouteResult.Empty());
    }
}
