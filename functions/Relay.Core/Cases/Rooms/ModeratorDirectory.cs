using Relay.Core.Appservice;
using Relay.Core.Errors;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Core.Memory;
using Relay.Core.Moderation;
using Relay.Core.Reports;

namespace Relay.Core.Cases.Rooms;

/// <summary>
/// Finds a case's moderators by reading the reported room's state as the bot (it must be in the room: a
/// protected room). Read fresh for every check of who may act, so an action is always checked against today's power
/// levels. Opening a case room may use a read up to <see cref="RememberFor"/> old (see <see cref="ForNewCaseAsync"/>), of
/// at most <see cref="CacheLimits.ModeratorRooms"/> rooms (<c>Relay__Memory__ModeratorCacheRooms</c>).
/// </summary>
public sealed class ModeratorDirectory(IMatrixBot bot, CaseRoomSettings settings, TimeProvider time, CacheLimits limits,
    IRoomProtection protection)
{
    /// <summary>How long a room's moderators, read for one case, serve the next cases opened about the same room.</summary>
    public static readonly TimeSpan RememberFor = TimeSpan.FromSeconds(30);

    private readonly ExpiringCache<RoomId, ModeratorSet> _remembered = new(limits.ModeratorRooms, time);

    // Rooms whose state the bot could not read, for readers only: a new case must not inherit a fallback.
    private readonly ExpiringCache<RoomId, ModeratorSet> _unreadable = new(limits.ModeratorRooms, time);

    private long _forgets;

    /// <summary>Rooms whose moderators are remembered now.</summary>
    public int Remembered => _remembered.Count;

    /// <summary>
    /// As <see cref="ForTargetAsync"/>, but a room's moderators read in the last <see cref="RememberFor"/> are used
    /// again: a raid opens many cases about one room at once, and each read is four homeserver requests on the way to
    /// its case room. A change of the room's power levels that reaches Relay is forgotten at once
    /// (<see cref="Forget"/>); whoever may act is still decided by a fresh read.
    /// </summary>
    public Task<ModeratorSet> ForNewCaseAsync(ReportTarget target, CancellationToken cancellationToken = default) =>
        target.Room is { } room && _remembered.TryGet(room, out var remembered)
            ? Task.FromResult(remembered.Without(target.ReportedUser))
            : ForTargetAsync(target, cancellationToken);

    /// <summary>Drops what was read about <paramref name="room"/>'s moderators, e.g. when its power levels changed.</summary>
    public void Forget(RoomId room)
    {
        Interlocked.Increment(ref _forgets);
        _remembered.Remove(room);
        _unreadable.Remove(room);
    }

    /// <summary>
    /// Keeps a read for what is left of <see cref="RememberFor"/> counted from when it began, and not at all when a
    /// <see cref="Forget"/> came while it was under way: a slow read must not outlive, or undo, a newer change.
    /// </summary>
    private void Remember(ExpiringCache<RoomId, ModeratorSet> cache, RoomId room, ModeratorSet set, ReadStart start)
    {
        var left = RememberFor - (time.GetUtcNow() - start.At);
        if (left > TimeSpan.Zero && Volatile.Read(ref _forgets) == start.Forgets)
        {
            cache.Set(room, set, left);
        }
    }

    private ReadStart Begin() => new(time.GetUtcNow(), Volatile.Read(ref _forgets));

    private readonly record struct ReadStart(DateTimeOffset At, long Forgets);

    /// <summary>
    /// Who may read <paramref name="room"/>'s cases (the dashboard): a read up to <see cref="RememberFor"/> old is used
    /// again, an unreadable room's fallback too, so a page view or a sign-in ask reads a room at most once in that time
    /// whoever asks; a power-level change that reaches Relay is seen at once (<see cref="Forget"/>).
    /// </summary>
    public async Task<ModeratorSet> ForReadingAsync(RoomId room, CancellationToken cancellationToken = default)
    {
        if (_remembered.TryGet(room, out var read) || _unreadable.TryGet(room, out read))
        {
            return read;
        }
        var start = Begin();
        var set = await ForTargetAsync(new ReportTarget.RoomTarget(room), cancellationToken);
        if (set.Source == ModeratorSource.CommunityFallback)
        {
            Remember(_unreadable, room, set, start);
        }
        return set;
    }

    /// <summary>
    /// The moderators of the case's room, or the community moderators when the case has no room, or (with
    /// a note saying why) when the room is not one the community protects or the bot cannot read its state.
    /// </summary>
    public async Task<ModeratorSet> ForTargetAsync(ReportTarget target, CancellationToken cancellationToken = default)
    {
        var reported = target.ReportedUser;
        if (target.Room is not { } room)
        {
            return new ModeratorSet(Community(reported), ModeratorSource.Community);
        }
        // A room the community does not protect has no moderators of the community's, even when the bot can read it
        // (a room it stayed in, say): its own moderators would be strangers, perhaps the very people reported.
        if (!await protection.IsProtectedAsync(room, cancellationToken))
        {
            return Fallback(reported, $"{room} is not a room the community protects");
        }
        try
        {
            var start = Begin();
            if (await ReadAsync(room, cancellationToken) is { } fromRoom)
            {
                Remember(_remembered, room, fromRoom, start);
                return fromRoom.Without(reported);
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

    /// <summary>The room's moderators, the reported user included (they are taken out per case).</summary>
    private async Task<ModeratorSet?> ReadAsync(RoomId room, CancellationToken cancellationToken)
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
            bot.UserId);
    }

    private ModeratorSet Fallback(UserId? reported, string why) =>
        new(Community(reported), ModeratorSource.CommunityFallback,
            $"{why}; using the {settings.CommunityModerators.Count} configured community moderators");

    private List<UserId> Community(UserId? reported) =>
        [.. settings.CommunityModerators.Where(u => u != reported && u != bot.UserId).Distinct()];
}
