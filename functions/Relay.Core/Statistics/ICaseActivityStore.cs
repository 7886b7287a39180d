using Relay.Core.Cases;

namespace Relay.Core.Statistics;

/// <summary>The cases behind the figures of a period. Adapters: SQLite, Table Storage (contract: CaseLifecycleContract).</summary>
public interface ICaseActivityStore
{
    /// <summary>
    /// Every case that may have had a report or audit line in <paramref name="period"/>: opened before it ends, and either
    /// still open or last changed at or after it starts. (A closed case changes no more, so nothing of it can fall later.)
    /// In no particular order.
    /// </summary>
    Task<IReadOnlyList<Case>> ListActiveCasesAsync(ReportingPeriod period, CancellationToken cancellationToken = default);
}
