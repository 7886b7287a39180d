using Relay.Core.Appservice;
using Relay.Core.Cases;
using Relay.Core.Cases.Rooms;
using Relay.Core.Escalation;
using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Core.Dashboard;

/// <summary>
/// Who sees and does what on the dashboard, by the rules the case rooms use: a moderator of a room (the
/// <see cref="ModeratorDirectory"/>, read fresh) sees that room's cases; a community moderator also sees the cases
/// about no room; a community admin (<c>Relay__Community__Admins</c>) sees every case.
/// </summary>
public sealed class DashboardAccess(
    ModeratorDirectory moderators,
    IProtectedRoomStore protectedRooms,
    ICaseStore cases,
    CaseRoomSettings caseRooms,
    EscalationSettings escalation)
{
    /// <summary>Rooms looked at when someone signs in; a community larger than this is an admin's job.</summary>
    public const int MaxRooms = 200;

    public bool IsAdmin(UserId user) => escalation.CommunityAdmins.Contains(user);

    public bool IsCommunityModerator(UserId user) => caseRooms.CommunityModerators.Contains(user);

    /// <summary>
    /// The rooms a session of <paramref name="user"/> lists cases of: those they moderate now, among the protected rooms
    /// and the rooms that have cases; for an admin, all of those (offered as the room filter). Asked for everyone who signs
    /// in (moderator or not), so both take the same path.
    /// </summary>
    public async Task<IReadOnlyList<RoomId>> SignInRoomsAsync(UserId user, IEnumerable<RoomId> configuredRooms,
        CancellationToken cancellationToken = default)
    {
        var candidates = new HashSet<RoomId>(configuredRooms);
        candidates.UnionWith(await protectedRooms.ListAsync(MaxRooms, cancellationToken));
        foreach (var c in await cases.ListCasesAsync(new CaseQuery(Limit: 1000), cancellationToken))
        {
            if (c.Target.Room is { } room)
            {
                candidates.Add(room);
            }
        }
        var moderated = new List<RoomId>();
        foreach (var room in candidates.OrderBy(r => r.Value, StringComparer.Ordinal).Take(MaxRooms))
        {
            if (IsAdmin(user) || await moderators.IsModeratorAsync(new ReportTarget.RoomTarget(room), user, cancellationToken))
            {
                moderated.Add(room);
            }
        }
        return moderated;
    }

    /// <summary>Whether the dashboard has anything for <paramref name="user"/>: only they get a sign-in link.</summary>
    public bool MaySignIn(UserId user, IReadOnlyList<RoomId> moderated) =>
        IsAdmin(user) || IsCommunityModerator(user) || moderated.Count > 0;

    /// <summary>The listing limits for a session: nothing for an admin, the session's rooms for anyone else.</summary>
    public CaseQuery Scope(DashboardSession session, CaseQuery query) =>
        IsAdmin(session.User)
            ? query
            : query with
            {
                Rooms = query.Rooms is { } picked ? [.. picked.Where(session.Rooms.Contains)] : session.Rooms,
                IncludeWithoutRoom = query.Rooms is null && IsCommunityModerator(session.User),
            };

    /// <summary>Whether the session may see the case, by the rooms it signed in with.</summary>
    public bool MaySee(DashboardSession session, Case c) => Scope(session, new CaseQuery()).Matches(c);

    /// <summary>
    /// Whether <paramref name="user"/> may act on the case now: an admin always; anyone else only as a moderator by
    /// today's power levels (so a moderator demoted after signing in is refused). Never the reported user.
    /// </summary>
    public async Task<bool> MayActAsync(UserId user, Case c, CancellationToken cancellationToken = default) =>
        user != c.Target.ReportedUser
        && (IsAdmin(user) || await moderators.IsModeratorAsync(c.Target, user, cancellationToken));
}
