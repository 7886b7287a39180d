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
public sealed class CaseRoomBudget(ICaseStore cases, CaseRoomSettings settings, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private const int PageSize = 100;

    public async Task<BudgetCheck> CheckAsync(Case c, CancellationToken cancellationToken)
    {
        var budget = settings.CaseRoomsPerHour;
        var since = time.GetUtcNow() - Window;
        var opened = 0;
        CaseCursor? after = null;
        while (true)
        {
            var page = await cases.ListCasesAsync(IncidentRooms.SameScope(c, PageSize) with { After = after }, cancellationToken);
            foreach (var other in page)
            {
                if (other.OpenedAt < since)
                {
                    return new BudgetCheck(opened < budget, opened, budget);
                }
                if (other.Id != c.Id && other.CaseRoom is not null)
                {
                    opened++;
                }
            }
            if (page.Count < PageSize)
            {
                return new BudgetCheck(opened < budget, opened, budget);
            }
            after = CaseCursor.Of(page[^1]);
        }
    }
}
