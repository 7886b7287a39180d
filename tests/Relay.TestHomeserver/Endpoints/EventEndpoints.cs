using Relay.TestHomeserver.Http;

namespace Relay.TestHomeserver.Endpoints;

/// <summary>rooms.yaml: GET /rooms/{roomId}/event/{eventId}, for joined members, under the room's history visibility.</summary>
internal static class EventEndpoints
{
    public static RouteTable MapEvents(this RouteTable routes) =>
        routes.Client("GET", "rooms/{roomId}/event/{eventId}", AuthMode.User, GetEvent);

    private static Task<RouteResult> GetEvent(RequestContext context)
    {
        var roomId = context.RoomIdParam();
        var eventId = context.EventIdParam();
        lock (context.State.Gate)
        {
            var room = context.State.Room(roomId);
            var evt = room is not null && room.IsVisibleTo(context.Caller.UserId, eventId) ? room.Event(eventId) : null;
            if (evt is null)
            {
                throw MatrixException.NotFound("Event not found.");
            }

            return Task.FromResult<RouteResult>(context.State.ClientEvent(evt));
        }
    }
}
