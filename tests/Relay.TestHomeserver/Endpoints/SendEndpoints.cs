using System.Text.Json.Nodes;
using Relay.TestHomeserver.Http;
using Relay.TestHomeserver.State;

namespace Relay.TestHomeserver.Endpoints;

/// <summary>room_send.yaml and redaction.yaml: idempotent per access token (per masqueraded user for the appservice) and path.</summary>
internal static class SendEndpoints
{
    public static RouteTable MapSend(this RouteTable routes) => routes
        .Client("PUT", "rooms/{roomId}/send/{eventType}/{txnId}", AuthMode.User, Send)
        .Client("PUT", "rooms/{roomId}/redact/{eventId}/{txnId}", AuthMode.User, Redact);

    private static Task<RouteResult> Send(RequestContext context)
    {
        var roomId = context.RoomIdParam();
        var type = context.Param("eventType");
        var eventId = context.State.Once(TxnKey(context), () =>
        {
            lock (context.State.Gate)
            {
                var room = context.JoinedRoomOrForbidden(roomId);
                RoomRules.RequireCanSend(room, context.Caller.UserId, type, stateKey: null);
                return (string)context.State.Append(room, context.Caller.UserId, type, context.Body)["event_id"]!;
            }
        });
        return Task.FromResult<RouteResult>(new JsonObject { ["event_id"] = eventId });
    }

    /// <summary>Redacting one's own event needs the m.room.redaction event level; anyone else's also needs "redact".</summary>
    private static Task<RouteResult> Redact(RequestContext context)
    {
        var roomId = context.RoomIdParam();
        var targetId = context.EventIdParam();
        var reason = context.Body.OptionalString("reason");
        var eventId = context.State.Once(TxnKey(context), () =>
        {
            lock (context.State.Gate)
            {
                var room = context.JoinedRoomOrForbidden(roomId);
                var target = room.Event(targetId) ?? throw MatrixException.NotFound("Event not found.");
                var sender = context.Caller.UserId;
                RoomRules.RequireCanSend(room, sender, "m.room.redaction", stateKey: null);
                if ((string?)target["sender"] != sender)
                {
                    RoomRules.RequireAction(room, sender, "redact");
                }

                var content = new JsonObject { ["redacts"] = targetId };
                if (reason is not null)
                {
                    content["reason"] = reason;
                }

                var redaction = context.State.Append(room, sender, "m.room.redaction", content, redacts: targetId);
                Redaction.Apply(target, redaction, room.Version);
                return (string)redaction["event_id"]!;
            }
        });
        return Task.FromResult<RouteResult>(new JsonObject { ["event_id"] = eventId });
    }

    private static string TxnKey(RequestContext context) => $"{context.Caller.TokenScope}|{context.Request.Path}";
}
