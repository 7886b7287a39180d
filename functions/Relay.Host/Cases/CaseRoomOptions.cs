using Relay.Core.Cases.Rooms;
using Relay.Core.Identifiers;

namespace Relay.Host.Configuration;

/// <summary><c>Relay__Community__*</c>: who moderates the community as a whole.</summary>
public sealed class CommunityOptions
{
    /// <summary>
    /// User IDs (<c>Relay__Community__Moderators__0..N</c>) who get cases with no room (user reports) and
    /// cases whose room the bot cannot read.
    /// </summary>
    public List<string> Moderators { get; set; } = [];

    /// <summary>
    /// A room ID (<c>Relay__Community__ModeratorsRoom</c>): new cases, escalations and closures are announced
    /// there, and its members may join case rooms (restricted join rule) instead of being invited.
    /// </summary>
    public string? ModeratorsRoom { get; set; }

    /// <summary>
    /// Server names (<c>Relay__Community__ProtectServers__0..N</c>) whose rooms the bot protects when their moderator
    /// invites it; empty means the homeserver's own server name. Community moderators and admins may invite it anywhere.
    /// </summary>
    public List<string> ProtectServers { get; set; } = [];
}

/// <summary><c>Relay__Moderation__*</c>: how moderator actions reach beyond one room.</summary>
public sealed class ModerationOptions
{
    /// <summary>A room ID (<c>Relay__Moderation__PolicyRoom</c>) where <c>!policy-ban</c> writes <c>m.policy.rule.user</c> bans.</summary>
    public string? PolicyRoom { get; set; }
}

/// <summary>Start-time checks of the case-room options, with messages that name the setting.</summary>
public static class CaseRoomOptionsValidation
{
    public static void Validate(RelayOptions options, List<string> failures)
    {
        for (var i = 0; i < options.Community.Moderators.Count; i++)
        {
            var user = options.Community.Moderators[i];
            if (!UserId.TryParse(user?.Trim(), out _))
            {
                failures.Add($"Relay__Community__Moderators__{i} is '{user}', which is not a Matrix user ID (@localpart:server).");
            }
        }
        CheckRoom(options.Community.ModeratorsRoom, "Relay__Community__ModeratorsRoom", failures);
        for (var i = 0; i < options.Community.ProtectServers.Count; i++)
        {
            var server = options.Community.ProtectServers[i];
            if (!IdentifierGrammar.IsServerName(server?.Trim()))
            {
                failures.Add($"Relay__Community__ProtectServers__{i} is '{server}', which is not a Matrix server name (e.g. example.org).");
            }
        }
        CheckRoom(options.Moderation.PolicyRoom, "Relay__Moderation__PolicyRoom", failures);
    }

    public static CaseRoomSettings ToSettings(RelayOptions options) => new(
        [.. options.Community.Moderators.Select(u => UserId.Parse(u.Trim())).Distinct()],
        Room(options.Community.ModeratorsRoom),
        Room(options.Moderation.PolicyRoom),
        options.Cases.CaseRoomsPerHour);

    private static RoomId? Room(string? value) => string.IsNullOrWhiteSpace(value) ? null : RoomId.Parse(value.Trim());

    private static void CheckRoom(string? value, string setting, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(value) && !RoomId.TryParse(value.Trim(), out _))
        {
            failures.Add($"{setting} is '{value}', which is not a room ID (!opaque:server); use the room ID, not an alias.");
        }
    }
}
