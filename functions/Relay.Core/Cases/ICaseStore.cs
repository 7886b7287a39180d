using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Core.Cases;

/// <summary>Reading cases and their history (CLI, case rooms, dashboard).</summary>
public interface ICaseStore
{
    Task<Case?> GetCaseAsync(CaseId id, CancellationToken cancellationToken = default);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<Case>> ListCasesAsync(CaseQuery query, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Report>> GetReportsAsync(CaseId id, CancellationToken cancellationToken = default);

    /// <summary>Oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> GetAuditAsync(CaseId id, CancellationToken cancellationToken = default);
}

