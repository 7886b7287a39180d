namespace Relay.Core.Statistics;

/// <summary>
/// A transparency report for a period, counts only: notices (reports) received by category and by source, decisions by
/// kind and whether Relay (automated: the escalation deadlines) or a person (a moderator or an operator) took them, the
/// median time from opening to closing of the cases closed in the period, and how many cases went to the authorities.
/// Nothing in it names a reporter, a reported user, a room or a reason.
/// </summary>
public sealed record TransparencyReport(
    ReportingPeriod Period,
    DateTimeOffset GeneratedAt,
    int NoticesReceived,
    IReadOnlyList<NamedCount> NoticesByCategory,
    IReadOnlyList<NamedCount> NoticesBySource,
    IReadOnlyList<NamedCount> ActionsByKind,
    int AutomatedDecisions,
    int HumanDecisions,
    int CasesClosed,
    TimeSpan? MedianHandlingTime,
    int EscalationsToAuthorities)
{
    public static TransparencyReport Compute(IReadOnlyList<CaseHistory> histories, ReportingPeriod period, DateTimeOffset generatedAt)
    {
        var notices = histories.SelectMany(h => h.Reports).Where(r => period.Contains(r.ReceivedAt)).ToList();
        var decisions = histories.SelectMany(h => h.Decisions()).Where(d => period.Contains(d.Line.At)).ToList();
        var handling = DurationFigures.Of(histories
            .Where(h => h.ClosedAt is { } at && period.Contains(at))
            .Select(h => h.ClosedAt!.Value - h.Case.OpenedAt));
        return new TransparencyReport(
            period,
            generatedAt,
            notices.Count,
            NamedCount.Of(notices.Select(r => CaseFigures.CategoryName(r.Category))),
            NamedCount.Of(notices.Select(r => r.Source.ToString())),
            NamedCount.Of(decisions.Select(d => d.Kind)),
            decisions.Count(d => CaseHistory.IsAutomated(d.Line)),
            decisions.Count(d => !CaseHistory.IsAutomated(d.Line)),
            handling.Count,
            handling.Median,
            histories.Count(h => h.ToAuthoritiesAt is { } at && period.Contains(at)));
    }
}
