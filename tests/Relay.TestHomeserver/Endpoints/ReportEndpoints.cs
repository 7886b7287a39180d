using Relay.TestHomeserver.Http;

namespace Relay.TestHomeserver.Endpoints;

/// <summary>report_content.yaml: the homeserver's own report endpoints; every accepted report lands in <see cref="TestHomeserver.Reports"/>.</summary>
internal static class ReportEndpoints
{
    public static RouteTable MapReports(this RouteTable routes) => routes
        .Client("POST", "rooms/{roomId}/report/{eventId}", AuthMode.User, ReportEvent)
        .Client("POST", "rooms/{roomId}/report", AuthMode.User, ReportRoom, "v3")
        .Client("POST", "users/{userId}/report", AuthMode.User, ReportUser, "v3");

    /// <summary>The caller must be joined and the event must exist; otherwise 404.</summary>
    private static Task<RouteResult> ReportEvent(RequestContext context)
    {
        var roomId = context.RoomIdParam();
        var eventId = context.EventIdParam();
        var reason = context.Body.OptionalString("reason");
        long? score = context.Body["score"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<long>(out var s) ? s : null;
        lock (context.State.Gate)
        {
            var room = context.State.Room(roomId);
            if (room is null || !room.IsJoined(context.Caller.UserId) || room.Event(eventId) is null)
            {
                throw MatrixException.NotFound("The event was not found or you are not joined to the room.");
            }

            context.State.AddReport(new ReceivedReport(ReportKind.Event, context.Caller.UserId, roomId, eventId, null, reason, score));
        }

        return Task.FromResult(RouteResult.Empty());
    }

    /// <summary>The caller need not be joined; an unknown room is 404.</summary>
    private static Task<RouteResult> ReportRoom(RequestContext context)
    {
        var roomId = context.RoomIdParam();
        var reason = context.Body.RequiredString("reason");
        context.RoomOrNotFound(roomId);
        context.State.AddReport(new ReceivedReport(ReportKind.Room, context.Caller.UserId, roomId, null, null, reason));
        return Task.FromResult(RouteResult.Empty());
    }

    /// <summary>An unknown user is 404.</summary>
    private static Task<RouteResult> ReportUser(RequestContext context)
    {
        var userId = MatrixIds.UserId(context.Param("userId"));
        var reason = context.Body.RequiredString("reason");
        if (!context.State.IsKnownUser(userId))
        {
            throw MatrixException.NotFound("The user was not found.");
        }

        context.State.AddReport(new ReceivedReport(ReportKind.User, context.Caller.UserId, null, null, userId, reason));
        return Task.FromResult(RouteResult.Empty());
    }
}
