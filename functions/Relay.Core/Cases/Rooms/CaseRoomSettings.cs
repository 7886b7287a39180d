using Relay.Core.Identifiers;

namespace Relay.Core.Cases.Rooms;

/// <summary>
/// Community-wide settings of case rooms. <see cref="CommunityModerators"/> own cases with no room
/// context (user reports) and cases whose room the bot cannot read. With a <see cref="ModeratorsRoom"/>,
/// every new case, escalation and closure is announced there, and case rooms let its members join
/// (a <c>restricted</c> join rule) instead of inviting moderators. <see cref="PolicyRoom"/> receives
/// <c>m.policy.rule.user</c> bans from <c>!policy-ban</c>. <see cref="CaseRoomsPerHour"/> is the case-room budget
/// (<see cref="CaseRoomBudget"/>).
/// </summary>
public sealed record CaseRoomSettings(
    IReadOnlyList<UserId> CommunityModerators,
    RoomId? ModeratorsRoom = null,
    RoomId? PolicyRoom = null,
    int CaseRoomsPerHour = CaseRoomSettings.DefaultCaseRoomsPerHour)
{
    /// <summary>New case rooms per reported room per hour before new cases are gathered into an incident.</summary>
    public const int DefaultCaseRoomsPerHour = 10;
}
