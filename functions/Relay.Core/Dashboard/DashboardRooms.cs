using Relay.Core.Identifiers;

namespace Relay.Core.Dashboard;

/// <summary>A session's rooms as one stored text: room IDs cannot hold a line break, so one per line.</summary>
public static class DashboardRooms
{
    public static string Join(IEnumerable<RoomId> rooms) => string.Join('\n', rooms.Select(r => r.Value));

    public static IReadOnlyList<RoomId> Split(string? stored) =>
        [.. (stored ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => RoomId.TryParse(s, out var room) ? room : (RoomId?)null).OfType<RoomId>()];
}
