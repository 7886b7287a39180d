using Relay.Core.Errors;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Core.Moderation;
using Relay.Core.Reports;

namespace Relay.Core.Cases.Rooms;

/// <summary>
/// Finds a case's moderators by reading the reported room's state as the bot (it must be in the room: a
/// protected room). Read fresh every time, so an action is always checked against today's power levels.
/// </summary>
public sealed class ModeratorDirectory(IMatrixBot bot, CaseRoomSettings settings)
{
    /// <summary>
    /// The moderators of the case's room, or the community moderators when the case has no room, or (with
    /// a note saying why) when the bot cannot read the room's state.
    /// </summary>
    public async Task<ModeratorSet> ForTargetAsync(ReportTarget target, CancellationToken cancellationToken = default)
    {
        var reported = target.ReportedUser;
        if (target.Room is not { } room)
        {
            return new ModeratorSet(Community(reported), ModeratorSource.Community);
        }
        try
        {
            if (await ReadAsync(room, reported, cancellationToken) is { } fromRoom)
            {
                return fromRoom;
            }
            return Fallback(reported, $"the bot found no m.room.create in {room}");
        }
        catch (MatrixException e) when (e.Error.Status is 403 or 404)
        {
            return Fallback(reported, $"the bot cannot read the state of {room} ({e.Error.ErrCode}); is it in the room?");
        }
    }

    /// <summary>Whether <paramref name="user"/> may act on a case about <paramref name="target"/>, by the same rule.</summary>
    public async Task<bool> IsModeratorAsync(ReportTarget target, UserId user, CancellationToken cancellationToken = default) =>
        (await ForTargetAsync(target, cancellationToken)).Contains(user);

    private async Task<ModeratorSet?> ReadAsync(RoomId room, UserId? reported, CancellationToken cancellationToken)
    {
        // Four independent reads at once: in sequence they were four homeserver round trips on the way to every new
        // case room. The members are read even when an override makes them unneeded, which is rare.
        var creating = bot.GetStateEventAsync(room, "m.room.create", "", cancellationToken);
        var leveling = bot.GetStateAsync(room, "m.room.power_levels", "", cancellationToken);
        var overriding = bot.GetStateAsync(room, RoomModerators.OverrideEventType, "", cancellationToken);
        var joining = bot.GetJoinedMembersAsync(room, cancellationToken);
        await Task.WhenAll(creating, leveling, overriding, joining);
        if (await creating is not { } create)
        {
            return null;
        }
        var overrideContent = await overriding;
        IReadOnlyList<UserId> joined = RoomModerators.OverrideUsers(overrideContent) is null ? await joining : [];
        return RoomModerators.Select(RoomCreateFacts.From(create.Sender, create.Content), await leveling, overrideContent, joined,
            reported, bot.UserId);
    }

    private ModeratorSet Fallback(UserId? reported, string why) =>
        new(Community(reported), ModeratorSource.CommunityFallback,
            $"{why}; using the {settings.CommunityModerators.Count} configured community moderators");

    private List<UserId> Community(UserId? reported) =>
        [.. settings.CommunityModerators.Where(u => u != reported && u != bot.UserId).Distinct()];
}
