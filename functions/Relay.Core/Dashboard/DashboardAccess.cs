using Relay.Core.Appservice;
using Relay.Core.Cases;
using Relay.Core.Cases.Rooms;
using Relay.Core.Escalation;
using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Core.Dashboard;

/// <summary>
/// Who sees and does what on the dashboard, by the rules the case rooms use: a moderator of a room sees that room's cases;
/// a community moderator also sees the cases about no room; a community admin (<c>Relay__Community__Admins</c>) sees every
/// case. Read access is decided again for every page from the rooms' current power levels, each room read at most once
/// per <see cref="ModeratorDirectory.RememberFor"/> (30 s) whoever asks (<see cref="ModeratorDirectory.ForReadingAsync"/>);
/// acting reads them fresh.
/// </summary>
public sealed class DashboardAccess(
    ModeratorDirectory moderators,
    IProtectedRoomStore protectedRooms,
    ICaseStore cases,
    CaseRoomSettings caseRooms,
    EscalationSettings escalation,
    TimeProvider time) : IDisposable
{
    /// <summary>Rooms looked at for anyone; a community larger than this is an admin's job.</summary>
    public const int MaxRooms = 200;

    /// <summary>Cases scanned for the rooms they are about, when the candidate rooms are gathered (at most every 30 s).</summary>
    public const int MaxCasesScanned = 1000;

    private readonly SemaphoreSlim _gathering = new(1, 1);
    private (IReadOnlyList<RoomId> Rooms, DateTimeOffset Until)? _candidates;

    public bool IsAdmin(UserId user) => escalation.CommunityAdmins.Contains(user);

    public bool IsCommunityModerator(UserId user) => caseRooms.CommunityModerators.Contains(user);

    /// <summary>
    /// The rooms whose cases <paramref name="user"/> may read now: those they moderate among the protected rooms and the
    /// rooms that have cases; for an admin, all of those (offered as the room filter). Asked for everyone who asks for a
    /// sign-in link (moderator or not), so both take the same path. The candidate rooms and each room's moderators are
    /// read at most once per 30 s, so however many anonymous asks arrive, the homeserver sees at most four requests per
    /// room per 30 s.
    /// </summary>
    public async Task<IReadOnlyList<RoomId>> RoomsOfAsync(UserId user, IEnumerable<RoomId> configuredRooms,
        CancellationToken cancellationToken = default)
    {
        var candidates = await CandidatesAsync(configuredRooms, cancellationToken);
        if (IsAdmin(user))
        {
            return candidates;
        }
        var moderated = new List<RoomId>();
        foreach (var room in candidates)
        {
            if ((await moderators.ForReadingAsync(room, cancellationToken)).Contains(user))
            {
                moderated.Add(room);
            }
        }
        return moderated;
    }

    /// <summary>Whether the dashboard has anything for <paramref name="user"/>: only they get a sign-in link, or keep a session.</summary>
    public bool MaySignIn(UserId user, IReadOnlyList<RoomId> moderated) =>
        IsAdmin(user) || IsCommunityModerator(user) || moderated.Count > 0;

    /// <summary>The listing limits for a reader: nothing for an admin, the rooms they may read now for anyone else.</summary>
    public CaseQuery Scope(DashboardReader reader, CaseQuery query) =>
        IsAdmin(reader.User)
            ? query
            : query with
            {
                Rooms = query.Rooms is { } picked ? [.. picked.Where(reader.Rooms.Contains)] : reader.Rooms,
                IncludeWithoutRoom = query.Rooms is null && IsCommunityModerator(reader.User),
            };

    /// <summary>Whether the reader may see the case, by the rooms they may read now.</summary>
    public bool MaySee(DashboardReader reader, Case c) => Scope(reader, new CaseQuery()).Matches(c);

    /// <summary>
    /// Whether <paramref name="user"/> may act on the case now: an admin always; anyone else only as a moderator by
    /// today's power levels, read fresh (so a moderator demoted after signing in is refused). Never the reported user.
    /// </summary>
    public async Task<bool> MayActAsync(UserId user, Case c, CancellationToken cancellationToken = default) =>
        user != c.Target.ReportedUser
        && (IsAdmin(user) || await moderators.IsModeratorAsync(c.Target, user, cancellationToken));

    public void Dispose() => _gathering.Dispose();

    /// <summary>Configured and stored protected rooms and the rooms cases are about, at most <see cref="MaxRooms"/>, kept 30 s.</summary>
    private async Task<IReadOnlyList<RoomId>> CandidatesAsync(IEnumerable<RoomId> configuredRooms, CancellationToken cancellationToken)
    {
        await _gathering.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (_candidates is { } kept && now < kept.Until)
            {
                return kept.Rooms;
            }
            var candidates = new HashSet<RoomId>(configuredRooms);
            candidates.UnionWith(await protectedRooms.ListAsync(MaxRooms, cancellationToken));
            foreach (var c in await cases.ListCasesAsync(new CaseQuery(Limit: MaxCasesScanned), cancellationToken))
            {
                if (c.Target.Room is { } room)
                {
                    candidates.Add(room);
                }
            }
            IReadOnlyList<RoomId> rooms = [.. candidates.OrderBy(r => r.Value, StringComparer.Ordinal).Take(MaxRooms)];
            _candidates = (rooms, now + ModeratorDirectory.RememberFor);
            return rooms;
        }
        finally
        {
            _gathering.Release();
        }
    }
}

/// <summary>Someone reading the dashboard, with the rooms whose cases they may read now.</summary>
public sealed record DashboardReader(UserId User, IReadOnlyList<RoomId> Rooms);
