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

    /// <summary>
    /// An initial <c>/sync</c> that returns at once and stays small: rooms filtered to <paramref name="room"/> (Synapse 1.67
    /// lists every pending invite whatever the filter, which is what is wanted), no presence, no account data, no state,
    /// and a timeline of at most the invitee's own last membership event (a rejected invite's leave, with <c>prev_sender</c>).
    /// <c>set_presence=offline</c>: a lookup for a report must not mark the reporter online.
    /// </summary>
    public static string InviteSync(UserId invitee, RoomId room)
    {
        var filter = "{\"presence\":{\"types\":[]},\"account_data\":{\"types\":[]},\"room\":{\"rooms\":[" + Quoted(room.Value)
            + "],\"include_leave\":true,\"timeline\":{\"limit\":1,\"types\":[\"m.room.member\"],\"senders\":[" + Quoted(invitee.Value)
            + "]},\"state\":{\"types\":[]},\"ephemeral\":{\"types\":[]},\"account_data\":{\"types\":[]}}}";
        return $"_matrix/client/v3/sync?timeout=0&set_presence=offline&filter={Uri.EscapeDataString(filter)}";
    }

    private static string Quoted(string value) => System.Text.Json.JsonSerializer.Serialize(value, Wire.MatrixJsonContext.Default.String);

    public static string ReportEvent(RoomId room, EventId eventId) =>
        $"_matrix/client/v3/rooms/{Uri.EscapeDataString(room.Value)}/report/{Uri.EscapeDataString(eventId.Value)}";
}
