using Relay.Core.Identifiers;

namespace Relay.Core.Appservice;

/// <summary>
/// Which rooms the bot agrees to protect. A room's moderator is not enough: anyone can make a room and moderate it,
/// and a protected room's reports reach this community's moderators. So the inviter must also be one of the
/// configured community moderators or admins, or the room must be on one of <see cref="Servers"/> (by default the
/// community's own homeserver). The room's server is the one in its ID, or for room version 12 (whose IDs name no
/// server) the server of its creator.
/// </summary>
public sealed record ProtectionPolicy(IReadOnlyCollection<UserId> Trusted, IReadOnlyCollection<string> Servers)
{
    public const string Refusal =
        "Relay protects only this community's rooms: rooms on its servers, or rooms one of its moderators or admins invites it to.";

    public bool Trusts(UserId inviter) => Trusted.Contains(inviter);

    /// <summary>Null when the room's ID names no server (room version 12): decide on its creator after joining.</summary>
    public bool? AllowsByRoomId(RoomId room, UserId inviter) =>
        Trusts(inviter) ? true : ServerOf(room.Value) is { } server ? Servers.Contains(server, StringComparer.OrdinalIgnoreCase) : null;

    public bool AllowsByCreator(UserId creator, UserId inviter) =>
        Trusts(inviter) || Servers.Contains(creator.Server, StringComparer.OrdinalIgnoreCase);

    private static string? ServerOf(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : id[(colon + 1)..];
    }
}
