using Azure.Data.Tables;
using Relay.Core.Cases;

namespace Relay.Azure.Tables;

/// <summary>
/// A scan of the case rows of every partition, narrowed server-side by an extra filter. Table Storage orders by key only and
/// cases are keyed by target, so callers sort what comes back; fine at a community's scale.
/// </summary>
internal static class CaseRowScan
{
    public static readonly string Filter = TableClient.CreateQueryFilter(
        $"RowKey ge {CaseRowKeys.CasePrefix} and RowKey lt {CaseRowKeys.UpperBound(CaseRowKeys.CasePrefix)}");

    /// <summary>Every case row matching <paramref name="and"/> (an OData filter, or null for all), following every page.</summary>
    public static async Task<List<Case>> ListAsync(TableClient cases, string? and, int pageSize, CancellationToken cancellationToken)
    {
        var found = new List<Case>();
        var filter = and is null ? Filter : $"{Filter} and ({and})";
        await foreach (var row in cases.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken))
        {
            found.Add(RowMapping.ToCase(row));
        }
        return found;
    }
}
