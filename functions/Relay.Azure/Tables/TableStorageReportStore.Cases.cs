using Azure.Data.Tables;
using Relay.Core.Cases;
using Relay.Core.Reports;

namespace Relay.Azure.Tables;

/// <summary>The read side: cases, their reports and their audit trail, paging through every result.</summary>
public sealed partial class TableStorageReportStore
{
    public async Task<Case?> GetCaseAsync(CaseId id, CancellationToken cancellationToken = default)
    {
        if (await PartitionOfAsync(id, cancellationToken) is not { } partition)
        {
            return null;
        }
        var row = await GetAsync(_cases, partition, CaseRowKeys.Case(id.Value), cancellationToken);
        return row is null ? null : RowMapping.ToCase(row);
    }

    /// <summary>
    /// Scans the case rows of every partition (server-side filtered by row kind and state) and sorts
    /// here: Table Storage orders by key only, and cases are keyed by target. Fine for the CLI and the
    /// case counts of a community; a listing index would be the next step if that ever changes. The dashboard's filters
    /// (<see cref="CaseQuery.Matches"/>) run here too, on the scanned rows.
    /// </summary>
    public async Task<IReadOnlyList<Case>> ListCasesAsync(CaseQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        var state = query.State is { } wanted ? TableClient.CreateQueryFilter($"State eq {wanted.ToString()}") : null;
        var cases = (await CaseRowScan.ListAsync(_cases, state, _options.PageSize, cancellationToken)).Where(query.Matches);
        // Ids are ULIDs: they break ties between cases opened in the same tick, as the SQLite store does.
        return cases
            .OrderByDescending(c => c.OpenedAt)
            .ThenByDescending(c => c.Id.Value, StringComparer.Ordinal)
            .Take(query.Limit)
            .ToList();
    }

    public async Task<IReadOnlyList<Report>> GetReportsAsync(CaseId id, CancellationToken cancellationToken = default)
    {
        var rows = await QueryPrefixAsync(id, CaseRowKeys.ReportPrefix(id.Value), cancellationToken);
        return rows.Select(RowMapping.ToReport)
            .OrderBy(r => r.ReceivedAt)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Row keys order audit lines by commit time, then commit, then position in the commit.</summary>
    public async Task<IReadOnlyList<AuditEntry>> GetAuditAsync(CaseId id, CancellationToken cancellationToken = default)
    {
        var rows = await QueryPrefixAsync(id, CaseRowKeys.AuditPrefix(id.Value), cancellationToken);
        return rows.OrderBy(r => r.RowKey, StringComparer.Ordinal).Select(RowMapping.ToAudit).ToList();
    }

    private async Task<List<TableEntity>> QueryPrefixAsync(CaseId id, string prefix, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        if (await PartitionOfAsync(id, cancellationToken) is not { } partition)
        {
            return rows;
        }
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {CaseRowKeys.UpperBound(prefix)}");
        await foreach (var row in _cases.QueryAsync<TableEntity>(filter, _options.PageSize, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }
        return rows;
    }
}
