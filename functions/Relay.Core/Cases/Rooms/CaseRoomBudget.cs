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
/// (<see cref="IncidentRooms"/>). Counted from the store (cases about the room opened in the last hour that have a room
/// of their own), so every instance agrees; two cases opening at the same moment may both take the last place.
/// </summary>
public sealed class CaseRoomBudget(ICaseStore cases, CaseRoomSettings settings, TimeProvider time, CacheLimits limits)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private const int PageSize = 100;

    // A spent budget stays spent until the oldest room it counted leaves the window (only a check that finds room opens
    // one), so each of a raid's thousands of gathered cases does not list the room's cases of the hour again.
    private readonly ExpiringCache<string, BudgetCheck> _spent = new(limits.ModeratorRooms, time);

    public async Task<BudgetCheck> CheckAsync(Case c, CancellationToken cancellationToken)
    {
        var scope = IncidentRooms.ScopeKey(c);
        if (_spent.TryGet(scope, out var spent))
        {
            return spent;
        }
        var (opened, oldest) = await CountAsync(c, cancellationToken);
        var check = new BudgetCheck(opened < settings.CaseRoomsPerHour, opened, settings.CaseRoomsPerHour);
        if (!check.HasRoom && oldest is { } first && first + Window - time.GetUtcNow() is { } left && left > TimeSpan.Zero)
        {
            _spent.Set(scope, check, left);
        }
        return check;
    }

    /// <summary>The cases of <paramref name="c"/>'s scope with a room of their own opened in the last hour, and the oldest's time.</summary>
    private async Task<(int Opened, DateTimeOffset? Oldest)> CountAsync(Case c, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - Window;
        var opened = 0;
        DateTimeOffset? oldest = null;
        CaseCursor? after = null;
        while (true)
        {
            var page = await cases.ListCasesAsync(IncidentRooms.SameScope(c, PageSize) with { After = after }, cancellationToken);
            foreach (var other in page)
            {
                if (other.OpenedAt < since)
                {
                    return (opened, oldest);
                }
                if (other.Id != c.Id && other.CaseRoom is not null)
                {
                    opened++;
                    oldest = other.OpenedAt;
                }
            }
            if (page.Count < PageSize)
            {
                return (opened, oldest);
            }
            after = CaseCursor.Of(page[^1]);
        }
    }
}
