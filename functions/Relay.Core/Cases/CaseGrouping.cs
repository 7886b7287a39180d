using Relay.Core.Reports;

namespace Relay.Core.Cases;

/// <summary>How widely reports about one offender's events gather into one case. Stored nowhere: only new cases use it.</summary>
public enum OffenderScope
{
    /// <summary>One case per reported event (Relay's behaviour before offender cases).</summary>
    Event,

    /// <summary>One case per sender per room: a raid by one account in one room is one case.</summary>
    Room,

    /// <summary>One case per sender across the community; user reports about the sender join it too.</summary>
    Community,
}

/// <summary>
/// The key a report joins an open case by. Event reports group by their sender (see <see cref="OffenderScope"/>).
/// Room reports never join an offender's case: a room report is about the room (often one its own moderators made
/// for spam), and its case belongs to whoever moderates that room or, failing them, the community. User reports
/// carry no room, so with <see cref="OffenderScope.Room"/> they keep a case of their own (owned by the community's
/// moderators) rather than guess which room's case to join; with <see cref="OffenderScope.Community"/> the offender's
/// case and the user's case are one and the same. Invite spam (a room report by someone only invited to the room) groups
/// by its inviter whatever the scope: fifty invites from one account, reported by fifty members, are one case.
/// </summary>
public sealed record CaseGrouping(OffenderScope Scope = OffenderScope.Room)
{
    public string KeyFor(ReportTarget target) => (Scope, target) switch
    {
        // Spaces cannot occur in room or user IDs, so these keys split one way only, as ReportTarget's do.
        (OffenderScope.Room, ReportTarget.Event e) => $"offender|{e.RoomId.Value} {e.Sender.Value}",
        (OffenderScope.Community, ReportTarget.Event e) => new ReportTarget.UserTarget(e.Sender).DedupeKey,
        (_, ReportTarget.RoomTarget { Inviter: { } inviter }) => InviterKey(inviter),
        _ => target.DedupeKey,
    };

    /// <summary>The key of an inviter's invite-spam case.</summary>
    public static string InviterKey(Identifiers.UserId inviter) => $"inviter|{inviter.Value}";
}
