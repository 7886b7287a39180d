using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Core.Cases;

/// <summary>One reported event of a case: when it was first reported and by how many distinct reporters (self-reports aside).</summary>
public sealed record ReportedEvent(RoomId RoomId, EventId EventId, string EventType, DateTimeOffset FirstReportedAt, int Reporters);

/// <summary>What a case's reports add up to: every reported event (first reported first) and the self-reports set aside.</summary>
public sealed record ReportedEvents(IReadOnlyList<ReportedEvent> Events, int SelfReports)
{
    public static ReportedEvents Of(IEnumerable<Report> reports)
    {
        var list = reports.ToList();
        var events = list
            .Where(r => r.Target is ReportTarget.Event)
            .GroupBy(r => ((ReportTarget.Event)r.Target).EventId)
            .Select(g =>
            {
                var e = (ReportTarget.Event)g.First().Target;
                var reporters = g.Where(r => !r.IsSelfReport).Select(r => r.ReporterHash).Distinct(StringComparer.Ordinal).Count();
                return new ReportedEvent(e.RoomId, e.EventId, e.EventType, g.Min(r => r.ReceivedAt), reporters);
            })
            .OrderBy(e => e.FirstReportedAt)
            .ThenBy(e => e.EventId.Value, StringComparer.Ordinal)
            .ToList();
        return new ReportedEvents(events, list.Count(r => r.IsSelfReport));
    }
}
