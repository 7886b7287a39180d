using Relay.Core.Identifiers;

namespace Relay.Matrix.Client;

/// <summary>Client-server API paths, with every identifier percent-encoded as a path segment.</summary>
internal static class MatrixPaths
{
    public const string WhoAmI = "_matrix/client/v3/account/whoami";

    public static string Event(RoomId room, EventId eventId) =>
        $"_matrix/client/v3/rooms/{Uri.EscapeDataString(room.Value)}/event/{Uri.EscapeDataString(eventId.Value)}";

    public static string RoomAlias(RoomAlias alias) =>
        $"_matrix/client/v3/directory/room/{Uri.EscapeDataString(alias.Value)}";

    public static string ReportEvent(RoomId room, EventId eventId) =>
        $"_matrix/client/v3/rooms/{Uri.EscapeDataString(room.Value)}/report/{Uri.EscapeDataString(eventId.Value)}";
}
