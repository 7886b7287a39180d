using Relay.Core.Identifiers;

namespace Relay.Matrix.Bot;

/// <summary>Client-server paths the bot calls, with every identifier percent-encoded as one path segment.</summary>
internal static class BotPaths
{
    private const string V3 = "_matrix/client/v3";

    public const string CreateRoom = V3 + "/createRoom";

    public static string Join(string roomIdOrAlias) => $"{V3}/join/{E(roomIdOrAlias)}";

    public static string Room(RoomId room, string action) => $"{V3}/rooms/{E(room.Value)}/{action}";

    public static string Alias(RoomAlias alias) => $"{V3}/directory/room/{E(alias.Value)}";

    public static string Redact(RoomId room, EventId eventId, string txnId) =>
        $"{V3}/rooms/{E(room.Value)}/redact/{E(eventId.Value)}/{E(txnId)}";

    public static string Send(RoomId room, string eventType, string txnId) =>
        $"{V3}/rooms/{E(room.Value)}/send/{E(eventType)}/{E(txnId)}";

    /// <summary>The empty state key drops the trailing slash, which the spec makes optional.</summary>
    public static string State(RoomId room, string eventType, string stateKey) => stateKey.Length == 0
        ? $"{V3}/rooms/{E(room.Value)}/state/{E(eventType)}"
        : $"{V3}/rooms/{E(room.Value)}/state/{E(eventType)}/{E(stateKey)}";

    public static string Event(RoomId room, EventId eventId) => $"{V3}/rooms/{E(room.Value)}/event/{E(eventId.Value)}";

    public static string Ping(string appserviceId) => $"_matrix/client/v1/appservice/{E(appserviceId)}/ping";

    private static string E(string segment) => Uri.EscapeDataString(segment);
}
