using Relay.Core.Cases;
using Relay.Core.Cases.Rooms;

namespace Relay.Host.Configuration;

/// <summary><c>Relay__Cases__*</c>: how reports gather into cases.</summary>
public sealed class CasesOptions
{
    /// <summary>
    /// <c>room</c> (default): reports about one sender's events in one room join one case; <c>community</c>: across
    /// every room, user reports about the sender included; <c>event</c>: one case per reported event.
    /// </summary>
    public string OffenderScope { get; set; } = "room";

    /// <summary>New case rooms per reported room per hour; past it, new cases are gathered into one incident.</summary>
    public int CaseRoomsPerHour { get; set; } = CaseRoomSettings.DefaultCaseRoomsPerHour;

    public static void Validate(CasesOptions options, List<string> failures)
    {
        if (!TryParseScope(options.OffenderScope, out _))
        {
            failures.Add($"Relay__Cases__OffenderScope is '{options.OffenderScope}'; set room (the default), community or event.");
        }
        if (options.CaseRoomsPerHour is < 1 or > 10_000)
        {
            failures.Add($"Relay__Cases__CaseRoomsPerHour must be between 1 and 10000 (default {CaseRoomSettings.DefaultCaseRoomsPerHour}).");
        }
    }

    public CaseGrouping ToGrouping() =>
        TryParseScope(OffenderScope, out var scope) ? new CaseGrouping(scope) : new CaseGrouping();

    private static bool TryParseScope(string? value, out OffenderScope scope) =>
        Enum.TryParse(value?.Trim(), ignoreCase: true, out scope) && Enum.IsDefined(scope);
}
