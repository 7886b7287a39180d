using Relay.Core.Memory;

namespace Relay.Core.Cases.Rooms;

/// <summary>How many case rooms were opened about a room in the last hour, against the budget; written to the audit trail.</summary>
public sealed record BudgetCheck(bool HasRoom, int OpenedLastHour, int Budget)
{
    public override string ToString() => $"budget={Budget}/h opened_last_hour={OpenedLastHour}";
}

/// <summary>
/// At most <see cref="CaseRoomSettings.CaseRoomsPerHour"/> new case rooms per reported room per hour, and as many for the
/// cases about no room (invite spam, user reports), which the community moderators own, so a raid by many accounts
/// cannot bury the moderators in invites: past it, new cases are gathered into one incident
/// (<see cref="IncidentRooms"/>). The rooms of a scope are read from the store (cases of the last hour with a room of
/// their own), so every instance agrees, and then kept for <see cref="Reread"/>, adding the places this instance gives:
/// reading them for every new case made opening a case room cost time in proportion to the room's cases of the hour
/// (figure 5's 1,000 cases per room opened 26 rooms a second). Between two reads, rooms another instance opened are not
/// counted, so two instances may both give the last place; one instance never does (<see cref="OpenedRooms.TakePlace"/>).
/// </summary>
public sealed class CaseRoomBudget(ICaseStore cases, CaseRoomSettings settings, TimeProvider time, CacheLimits limits)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>How long a scope's rooms read from the store are counted from memory before they are read again.</summary>
    public static readonly TimeSpan Reread = TimeSpan.FromSeconds(30);

    private const int PageSize = 100;

    private readonly ExpiringCache<string, OpenedRooms> _scopes = new(limits.ModeratorRooms, time);

    public async Task<BudgetCheck> CheckAsync(Case c, CancellationToken cancellationToken)
    {
        var scope = IncidentRooms.ScopeKey(c);
        if (!_scopes.TryGet(scope, out var opened))
        {
            var read = await ReadAsync(c, cancellationToken);
            // A check that read at the same moment keeps its places.
            if (!_scopes.TryGet(scope, out opened))
            {
                opened = read;
                _scopes.Set(scope, opened, Reread);
            }
        }
        var count = opened.TakePlace(c.Id, c.OpenedAt, time.GetUtcNow() - Window);
        return new BudgetCheck(count < settings.CaseRoomsPerHour, count, settings.CaseRoomsPerHour);
    }

    /// <summary>
    /// The newest cases of <paramref name="c"/>'s scope with a room of their own opened in the last hour, at most the
    /// budget of them: older ones leave the window before these, so they cannot make a place.
    /// </summary>
    private async Task<OpenedRooms> ReadAsync(Case c, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - Window;
        var opened = new OpenedRooms(settings.CaseRoomsPerHour);
        CaseCursor? after = null;
        while (true)
        {
            var page = await cases.ListCasesAsync(IncidentRooms.SameScope(c, PageSize) with { After = after }, cancellationToken);
            foreach (var other in page)
            {
                if (other.OpenedAt < since || opened.Count >= settings.CaseRoomsPerHour)
                {
                    return opened;
                }
                if (other.Id != c.Id && other.CaseRoom is not null)
                {
                    opened.Add(other.Id, other.OpenedAt);
                }
            }
            if (page.Count < PageSize)
            {
                return opened;
            }
            after = CaseCursor.Of(page[^1]);
        }
    }

    /// <summary>A scope's cases with a room, by opening time; holds at most the budget of them (the newest).</summary>
    private sealed class OpenedRooms(int budget)
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<CaseId, DateTimeOffset> _rooms = [];

        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return _rooms.Count;
                }
            }
        }

        public void Add(CaseId id, DateTimeOffset openedAt)
        {
            lock (_lock)
            {
                Keep(id, openedAt);
            }
        }

        /// <summary>
        /// The rooms opened since <paramref name="since"/> other than <paramref name="id"/>'s; under the budget, the
        /// place is taken for <paramref name="id"/> in the same step, so cases checked at once on this instance do not
        /// all take the last place.
        /// </summary>
        public int TakePlace(CaseId id, DateTimeOffset openedAt, DateTimeOffset since)
        {
            lock (_lock)
            {
                var count = _rooms.Count(r => r.Value >= since && r.Key != id);
                if (count < budget)
                {
                    Keep(id, openedAt);
                }
                return count;
            }
        }

        private void Keep(CaseId id, DateTimeOffset openedAt)
        {
            _rooms[id] = openedAt;
            if (_rooms.Count > budget)
            {
                _rooms.Remove(_rooms.MinBy(r => r.Value).Key);
            }
        }
    }
}
