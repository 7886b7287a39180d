using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Core.Cases;

/// <summary>
/// The case a report joins. <see cref="ETag"/> is the store's version of the row, checked on every
/// update (optimistic concurrency); null for a case not yet stored. <see cref="CaseRoom"/> is the private
/// room opened for it, <see cref="SummaryEvent"/> the summary posted there, and <see cref="SummaryRevision"/>
/// the distinct-reporter count that summary (or its latest edit) shows. <see cref="Tier"/> is the escalation
/// policy's tier the case is at (1 = the case room), and <see cref="NextDueAt"/> when that tier's deadline passes
/// unless someone acknowledges (null: no deadline pending), so the sweep can find overdue cases.
/// </summary>
public sealed record Case(
    CaseId Id,
    ReportTarget Target,
    CaseState State,
    int Tier,
    HarmCategory? Category,
    int ReporterCount,
    int ReportCount,
    DateTimeOffset OpenedAt,
    DateTimeOffset UpdatedAt,
    RoomId? CaseRoom = null,
    string? ETag = null,
    EventId? SummaryEvent = null,
    int SummaryRevision = 0,
    DateTimeOffset? NextDueAt = null,
    string? GroupKey = null,
    RoomId? Incident = null)
{
    /// <summary>
    /// Past the case-room budget of its room, a case gets no room of its own: it is gathered into this incident room
    /// (or the moderators' room), whose summary lists every case gathered there. Null for a case with its own room.
    /// </summary>
    public bool IsGathered => Incident is not null;

    /// <summary>
    /// The key reports join this case by (one open case per key): <see cref="GroupKey"/> when intake grouped the case
    /// by something wider than its first target (its offender, see <see cref="CaseGrouping"/>), else the target's own key.
    /// Fixed when the case opens; stores keep it with the case, so a later change of setting never splits an open case.
    /// </summary>
    public string DedupeKey => GroupKey ?? Target.DedupeKey;
}
