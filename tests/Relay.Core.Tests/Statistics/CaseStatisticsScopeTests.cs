using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Core.Reports;
using Relay.Core.Statistics;

namespace Relay.Core.Tests.Statistics;

/// <summary>A scope narrows every figure to its cases, and a case outside it is never read further (a moderator's dashboard).</summary>
public sealed class CaseStatisticsScopeTests
{
    private static readonly ReportingPeriod Week = new(Histories.At(0), Histories.At(7));

    private readonly Histories _h = new();

    [Fact]
    public async Task Only_cases_in_scope_are_counted_and_read()
    {
        var spam = _h.Case(0.5).Report(0.5).Report(1.5).Acknowledge(2).Build();
        var harassment = _h.Case(1, "m.harassment").Report(1).Escalate(1.1, 2).Build();
        var store = new HistoryStore([spam, harassment]);
        var statistics = new CaseStatistics(store, store, TimeProvider.System);

        var figures = await statistics.GetFiguresAsync(Week, c => c.Id == spam.Case.Id);
        var report = await statistics.GetTransparencyReportAsync(Week, c => c.Id == spam.Case.Id);

        Assert.Equal([1, 1, 0, 0, 0, 0, 0], figures.ReportsPerDay.Select(d => d.Count));
        Assert.Equal([new NamedCount("m.spam", 1)], figures.CasesByCategory);
        Assert.Equal(1, figures.TimeToAcknowledge.Count);
        Assert.Empty(figures.EscalationsByTier);
        Assert.Equal(2, report.NoticesReceived);
        Assert.DoesNotContain(harassment.Case.Id, store.Read);
    }

    [Fact]
    public async Task Without_a_scope_every_case_counts()
    {
        var store = new HistoryStore([_h.Case(0).Report(0).Build(), _h.Case(1, "m.harassment").Report(1).Build()]);

        var figures = await new CaseStatistics(store, store, TimeProvider.System).GetFiguresAsync(Week);

        Assert.Equal(2, figures.CasesByCategory.Sum(c => c.Count));
    }

    private sealed class HistoryStore(IReadOnlyList<CaseHistory> histories) : ICaseActivityStore, ICaseStore
    {
        public List<CaseId> Read { get; } = [];

        public Task<IReadOnlyList<Case>> ListActiveCasesAsync(ReportingPeriod period, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<Case>>([.. histories.Select(h => h.Case)]);

        public Task<IReadOnlyList<Report>> GetReportsAsync(CaseId id, CancellationToken cancellationToken = default)
        {
            Read.Add(id);
            return Task.FromResult(histories.Single(h => h.Case.Id == id).Reports);
        }

        public Task<IReadOnlyList<AuditEntry>> GetAuditAsync(CaseId id, CancellationToken cancellationToken = default)
        {
            Read.Add(id);
            return Task.FromResult(histories.Single(h => h.Case.Id == id).Audit);
        }

        public Task<Case?> GetCaseAsync(CaseId id, CancellationToken cancellationToken = default) =>
            Task.FromResult(histories.FirstOrDefault(h => h.Case.Id == id)?.Case);

        public Task<IReadOnlyList<Case>> ListCasesAsync(CaseQuery query, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("Statistics read cases through the activity store.");
    }
}
