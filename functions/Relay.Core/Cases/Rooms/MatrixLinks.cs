using Relay.Core.Identifiers;

namespace Relay.Core.Cases.Rooms;

/// <summary>matrix.to permalinks, each identifier percent-encoded as one fragment segment.</summary>
public static class MatrixLinks
{
    public static string Room(RoomId room) => $"https://matrix.to/#/{Uri.EscapeDataString(room.Value)}";

    public static string Event(RoomId room, EventId eventId) =>
        $"https://matrix.to/#/{Uri.EscapeDataString(room.Value)}/{Uri.EscapeDataString(eventId.Value)}";

    public static string User(UserId user) => $"https://matrix.to/#/{Uri.EscapeDataString(user.Value)}";
}
