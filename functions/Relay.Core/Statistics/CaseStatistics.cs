using Relay.Core.Cases;

namespace Relay.Core.Statistics;

/// <summary>
/// The figures of a period from the store: <see cref="GetFiguresAsync"/> for the dashboard's charts,
/// <see cref="GetTransparencyReportAsync"/> for <c>relay report transparency</c>. Reads each active case's reports and
/// audit trail, one case at a time: the store keeps closed cases for a few months only, so that is a community's worth.
/// </summary>
public sealed class CaseStatistics(ICaseActivityStore activity, ICaseStore cases, TimeProvider time)
{
    public async Task<CaseFigures> GetFiguresAsync(ReportingPeriod period, CancellationToken cancellationToken = default) =>
        CaseFigures.Compute(await LoadAsync(period, cancellationToken), period, time.GetUtcNow());

    public async Task<TransparencyReport> GetTransparencyReportAsync(ReportingPeriod period, CancellationToken cancellationToken = default) =>
        TransparencyReport.Compute(await LoadAsync(period, cancellationToken), period, time.GetUtcNow());

    /// <summary>The last <paramref name="days"/> whole UTC days up to and including today, on the injected clock.</summary>
    public ReportingPeriod LastDays(int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        return ReportingPeriod.Days(today.AddDays(1 - days), today);
    }

    public async Task<IReadOnlyList<CaseHistory>> LoadAsync(ReportingPeriod period, CancellationToken cancellationToken = default)
    {
        var histories = new List<CaseHistory>();
        foreach (var c in await activity.ListActiveCasesAsync(period, cancellationToken))
        {
            histories.Add(new CaseHistory(c,
                await cases.GetReportsAsync(c.Id, cancellationToken),
                await cases.GetAuditAsync(c.Id, cancellationToken)));
        }
        return histories;
    }
}
