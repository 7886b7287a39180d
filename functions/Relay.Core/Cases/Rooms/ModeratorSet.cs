using Relay.Core.Identifiers;

namespace Relay.Core.Cases.Rooms;

/// <summary>Where a case's moderators came from; the audit trail names it.</summary>
public enum ModeratorSource
{
    /// <summary>Members of the reported room at or above both the kick and ban levels (and v12 creators).</summary>
    PowerLevels,

    /// <summary>The reported room's MSC4226 report-moderators state event.</summary>
    RoomOverride,

    /// <summary>The configured community moderators: the case has no room.</summary>
    Community,

    /// <summary>The configured community moderators, because the bot could not read the reported room.</summary>
    CommunityFallback,
}

/// <summary>The moderators of a case: never the reported user, never the bot itself.</summary>
public sealed record ModeratorSet(IReadOnlyList<UserId> Users, ModeratorSource Source, string? Note = null)
{
    public bool Contains(UserId user) => Users.Contains(user);

    /// <summary>This set for a case about <paramref name="reported"/>, who is never one of its moderators.</summary>
    public ModeratorSet Without(UserId? reported) =>
        reported is { } user && Contains(user) ? this with { Users = [.. Users.Where(u => u != user)] } : this;
}
