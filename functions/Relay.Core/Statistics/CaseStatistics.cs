using Relay.Core.Cases;

namespace Relay.Core.Statistics;

/// <summary>
/// The figures of a period from the store: <see cref="GetFiguresAsync"/> for the dashboard's charts,
/// <see cref="GetTransparencyReportAsync"/> for <c>relay report transparency</c>. Reads each active case's reports and
/// audit trail, one case at a time: the store keeps closed cases for a few months only, so that is a community's worth.
/// Each also takes a scope (which cases count), so a moderator's dashboard counts the rooms they moderate only.
/// </summary>
public sealed class CaseStatistics(ICaseActivityStore activity, ICaseStore cases, TimeProvider time)
{
    public Task<CaseFigures> GetFiguresAsync(ReportingPeriod period, CancellationToken cancellationToken = default) =>
        GetFiguresAsync(period, Everything, cancellationToken);

    public async Task<CaseFigures> GetFiguresAsync(ReportingPeriod period, Func<Case, bool> scope,
        CancellationToken cancellationToken = default) =>
        CaseFigures.Compute(await LoadAsync(period, scope, cancellationToken), period, time.GetUtcNow());

    public Task<TransparencyReport> GetTransparencyReportAsync(ReportingPeriod period, CancellationToken cancellationToken = default) =>
        GetTransparencyReportAsync(period, Everything, cancellationToken);

    public async Task<TransparencyReport> GetTransparencyReportAsync(ReportingPeriod period, Func<Case, bool> scope,
        CancellationToken cancellationToken = default) =>
        TransparencyReport.Compute(await LoadAsync(period, scope, cancellationToken), period, time.GetUtcNow());

    /// <summary>The last <paramref name="days"/> whole UTC days up to and including today, on the injected clock.</summary>
    public ReportingPeriod LastDays(int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        return ReportingPeriod.Days(today.AddDays(1 - days), today);
    }

    /// <summary>
    /// The histories of the cases in <paramref name="scope"/>. The scope is applied to the case before its reports and
    /// audit are read: a case outside it costs one row, and nothing of it reaches the figures.
    /// </summary>
    public async Task<IReadOnlyList<CaseHistory>> LoadAsync(ReportingPeriod period, Func<Case, bool> scope,
        CancellationToken cancellationToken = default)
    {
        var histories = new List<CaseHistory>();
        foreach (var c in (await activity.ListActiveCasesAsync(period, cancellationToken)).Where(scope))
        {
            histories.Add(new CaseHistory(c,
                await cases.GetReportsAsync(c.Id, cancellationToken),
                await cases.GetAuditAsync(c.Id, cancellationToken)));
        }
        return histories;
    }

    private static bool Everything(Case c) => true;
}
