using Relay.Core.Reports;

namespace Relay.Core.Statistics;

/// <summary>
/// What the dashboard charts for a period. Reports by the day they arrived; cases by the category of those opened in the
/// period; time to acknowledge over cases first answered in the period, time to close over cases closed in it (both from
/// the case's opening); escalations by the tier each climb reached, for climbs in the period.
/// </summary>
public sealed record CaseFigures(
    ReportingPeriod Period,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<DailyCount> ReportsPerDay,
    IReadOnlyList<NamedCount> CasesByCategory,
    DurationFigures TimeToAcknowledge,
    DurationFigures TimeToClose,
    IReadOnlyList<TierCount> EscalationsByTier)
{
    /// <summary>The name a case or report without a category is counted under.</summary>
    public const string Unspecified = "unspecified";

    public static CaseFigures Compute(IReadOnlyList<CaseHistory> histories, ReportingPeriod period, DateTimeOffset generatedAt)
    {
        var perDay = histories.SelectMany(h => h.Reports)
            .Where(r => period.Contains(r.ReceivedAt))
            .CountBy(r => DateOnly.FromDateTime(r.ReceivedAt.UtcDateTime))
            .ToDictionary();
        var acknowledged = histories
            .Where(h => h.AcknowledgedAt is { } at && period.Contains(at))
            .Select(h => h.AcknowledgedAt!.Value - h.Case.OpenedAt);
        var closed = histories
            .Where(h => h.ClosedAt is { } at && period.Contains(at))
            .Select(h => h.ClosedAt!.Value - h.Case.OpenedAt);
        var byTier = histories.SelectMany(h => h.Escalations())
            .Where(e => period.Contains(e.Line.At))
            .CountBy(e => e.Tier)
            .OrderBy(t => t.Key)
            .Select(t => new TierCount(t.Key, t.Value));
        return new CaseFigures(
            period,
            generatedAt,
            [.. period.EachDay().Select(day => new DailyCount(day, perDay.GetValueOrDefault(day)))],
            NamedCount.Of(histories.Where(h => period.Contains(h.Case.OpenedAt)).Select(h => CategoryName(h.Case.Category))),
            DurationFigures.Of(acknowledged),
            DurationFigures.Of(closed),
            [.. byTier]);
    }

    public static string CategoryName(HarmCategory? category) => category?.Id ?? Unspecified;
}
