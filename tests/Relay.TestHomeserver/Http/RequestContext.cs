using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Relay.TestHomeserver.Auth;
using Relay.TestHomeserver.State;

namespace Relay.TestHomeserver.Http;

/// <summary>What a route handler sees: decoded path parameters, the caller, the parsed body and shared state.</summary>
internal sealed class RequestContext(
    HttpContext http,
    HomeserverCore core,
    RecordedRequest request,
    IReadOnlyDictionary<string, string> values)
{
    private Caller? _caller;
    private JsonObject? _body;

    public HttpContext Http { get; } = http;

    public HomeserverCore Core { get; } = core;

    public HomeserverState State => Core.State;

    public RecordedRequest Request { get; } = request;

    public Caller Caller
    {
        get => _caller ?? throw new InvalidOperationException("Route has no authentication");
        set => _caller = value;
    }

    public Caller? OptionalCaller => _caller;

    public JsonObject Body
    {
        get => _body ?? throw new InvalidOperationException("Route has no body");
        set => _body = value;
    }

    public string Param(string name) => values[name];

    public string? OptionalParam(string name) => values.GetValueOrDefault(name);

    public string RoomIdParam() => MatrixIds.RoomId(Param("roomId"));

    public string EventIdParam() => MatrixIds.EventId(Param("eventId"));

    public string? Query(string name) => Http.Request.Query[name] is { Count: > 0 } v ? v[0] : null;

    /// <summary>The room if it exists, else 404 M_NOT_FOUND.</summary>
    public Room RoomOrNotFound(string roomId) =>
        State.Room(roomId) ?? throw MatrixException.NotFound($"Room {roomId} not found.");

    /// <summary>The room if the caller is joined to it; 404 hides rooms the caller cannot see.</summary>
    public Room JoinedRoomOrNotFound(string roomId)
    {
        lock (State.Gate)
        {
            var room = State.Room(roomId);
            return room is not null && room.IsJoined(Caller.UserId)
                ? room
                : throw MatrixException.NotFound("Room not found or you are not joined to it.");
        }
    }

    /// <summary>The room if the caller is joined to it; otherwise 403 M_FORBIDDEN.</summary>
    public Room JoinedRoomOrForbidden(string roomId)
    {
        lock (State.Gate)
        {
            var room = State.Room(roomId);
            return room is not null && room.IsJoined(Caller.UserId)
                ? room
                : throw MatrixException.Forbidden($"{Caller.UserId} is not in room {roomId}.");
        }
    }
}
