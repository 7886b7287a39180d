using Azure;
using Azure.Data.Tables;
using Relay.Core.Cases;
using Relay.Core.Retention;
using Relay.Core.Statistics;

namespace Relay.Azure.Tables;

/// <summary>
/// The Azure adapter of the lifecycle ports. Table Storage cannot delete across tables (or past 100 rows) at once, so a
/// deletion goes in an order that a crash at any point leaves repeatable: the case's own rows in its partition (idempotency
/// claims with their reports), then its case row, then its index rows. Until the case row goes, the sweep lists the case
/// again and finishes; after it, only index rows pointing at nothing can be left, which readers skip. A purge stores its
/// tombstone in <see cref="TableNames.Purges"/> before deleting anything, so the record of the erasure exists first.
/// </summary>
public sealed class TableStorageCaseLifecycleStore : ICaseRetentionStore, ICaseActivityStore
{
    private const int MaxTransactionRows = 100;

    private readonly TableClient _cases;
    private readonly TableClient _caseIndex;
    private readonly TableClient _reportKeys;
    private readonly TableClient _evidence;
    private readonly TableClient _purges;
    private readonly int _pageSize;

    public TableStorageCaseLifecycleStore(TableServiceClient service, TableStorageOptions? options = null)
    {
        var settings = options ?? new TableStorageOptions();
        var names = new TableNames(settings.TablePrefix);
        _cases = service.GetTableClient(names.Cases);
        _caseIndex = service.GetTableClient(names.CaseIndex);
        _reportKeys = service.GetTableClient(names.ReportKeys);
        _evidence = service.GetTableClient(names.Evidence);
        _purges = service.GetTableClient(names.Purges);
        _pageSize = settings.PageSize;
    }

    /// <summary>Scans the case rows, filtered server-side, as listing cases does.</summary>
    public async Task<IReadOnlyList<Case>> ListActiveCasesAsync(ReportingPeriod period, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter(
            $"OpenedAt lt {period.To.UtcTicks} and (State eq {nameof(CaseState.Open)} or State eq {nameof(CaseState.Acknowledged)} or State eq {nameof(CaseState.Escalated)} or UpdatedAt ge {period.From.UtcTicks})");
        return await CaseRowScan.ListAsync(_cases, filter, _pageSize, cancellationToken);
    }

    public async Task<IReadOnlyList<CaseId>> ListClosedBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var filter = TableClient.CreateQueryFilter(
            $"UpdatedAt lt {cutoff.UtcTicks} and (State eq {nameof(CaseState.Resolved)} or State eq {nameof(CaseState.Dismissed)})");
        var closed = await CaseRowScan.ListAsync(_cases, filter, _pageSize, cancellationToken);
        return [.. closed.OrderBy(c => c.UpdatedAt).ThenBy(c => c.Id.Value, StringComparer.Ordinal).Take(limit).Select(c => c.Id)];
    }

    public async Task<CaseDeletion?> DeleteClosedCaseAsync(CaseId id, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(id, cancellationToken) is not { } found
            || found.Case.State.IsOpen() || found.Case.UpdatedAt >= cutoff)
        {
            return null;
        }
        var rows = await CaseRowsAsync(found.Partition, id, cancellationToken);
        await DeleteAsync(found, rows, cancellationToken);
        return Counted(id, rows, evidence: 0);
    }

    public async Task<PurgeRecord?> PurgeCaseAsync(PurgeRecord tombstone, CancellationToken cancellationToken = default)
    {
        var id = tombstone.CaseId;
        var earlier = await FindPurgeAsync(id, cancellationToken);
        var found = await FindAsync(id, cancellationToken);
        // Evidence outlives a case deleted by retention, so there may be evidence to erase and no case.
        var evidence = await EvidenceRowsAsync(id, cancellationToken);
        if (earlier is null && found is null && evidence.Count == 0)
        {
            return null;
        }
        var rows = found is null ? [] : await CaseRowsAsync(found.Partition, id, cancellationToken);
        var counted = Counted(id, rows, evidence.Count);
        var stored = earlier ?? await StoreTombstoneAsync(
            tombstone with { Reports = counted.Reports, AuditLines = counted.AuditLines, EvidenceItems = counted.EvidenceItems },
            cancellationToken);
        await DeleteEvidenceAsync(evidence, cancellationToken);
        if (found is not null)
        {
            await DeleteAsync(found, rows, cancellationToken);
        }
        return stored;
    }

    public async Task<PurgeRecord?> FindPurgeAsync(CaseId id, CancellationToken cancellationToken = default)
    {
        var row = await _purges.GetEntityIfExistsAsync<TableEntity>(id.Value, "", cancellationToken: cancellationToken);
        return row.HasValue ? ToPurge(row.Value!) : null;
    }

    private async Task<PurgeRecord> StoreTombstoneAsync(PurgeRecord tombstone, CancellationToken cancellationToken)
    {
        try
        {
            await _purges.AddEntityAsync(new TableEntity(tombstone.CaseId.Value, "")
            {
                ["CaseId"] = tombstone.CaseId.Value,
                ["PurgedAt"] = tombstone.PurgedAt.UtcTicks,
                ["Actor"] = tombstone.Actor,
                ["Reports"] = tombstone.Reports,
                ["AuditLines"] = tombstone.AuditLines,
                ["EvidenceItems"] = tombstone.EvidenceItems,
            }, cancellationToken);
            return tombstone;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // A concurrent purge stored its tombstone first; that one stands.
            return await FindPurgeAsync(tombstone.CaseId, cancellationToken) ?? tombstone;
        }
    }

    private static PurgeRecord ToPurge(TableEntity row) => new(
        CaseId.Parse(RowMapping.Required(row, "CaseId")),
        RowMapping.Time(row, "PurgedAt"),
        RowMapping.Required(row, "Actor"),
        row.GetInt32("Reports") ?? 0,
        row.GetInt32("AuditLines") ?? 0,
        row.GetInt32("EvidenceItems") ?? 0);

    private static CaseDeletion Counted(CaseId id, IReadOnlyList<TableEntity> rows, int evidence) => new(id,
        rows.Count(r => r.RowKey.StartsWith(CaseRowKeys.ReportPrefix(id.Value), StringComparison.Ordinal)),
        rows.Count(r => r.RowKey.StartsWith(CaseRowKeys.AuditPrefix(id.Value), StringComparison.Ordinal)),
        evidence);

    private sealed record Found(string Partition, Case Case, TableEntity Row);

    private async Task<Found?> FindAsync(CaseId id, CancellationToken cancellationToken)
    {
        var index = await _caseIndex.GetEntityIfExistsAsync<TableEntity>(id.Value, "", cancellationToken: cancellationToken);
        if (!index.HasValue || index.Value!.GetString("Partition") is not { } partition)
        {
            return null;
        }
        var row = await _cases.GetEntityIfExistsAsync<TableEntity>(partition, CaseRowKeys.Case(id.Value), cancellationToken: cancellationToken);
        return row.HasValue ? new Found(partition, RowMapping.ToCase(row.Value!), row.Value!) : null;
    }

    /// <summary>The case's rows in its partition except the case row itself, plus the open-case pointer when it is this case's.</summary>
    private async Task<List<TableEntity>> CaseRowsAsync(string partition, CaseId id, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        await foreach (var row in _cases.QueryAsync<TableEntity>(filter, _pageSize, ["PartitionKey", "RowKey", "CaseId", "IdempotencyKey"], cancellationToken))
        {
            if ((CaseRowKeys.BelongsTo(row.RowKey, id.Value) && row.RowKey != CaseRowKeys.Case(id.Value))
                || (row.RowKey == CaseRowKeys.Open && row.GetString("CaseId") == id.Value))
            {
                rows.Add(row);
            }
        }
        return rows;
    }

    private async Task<List<TableEntity>> EvidenceRowsAsync(CaseId id, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKey.For(id.Value)}");
        await foreach (var row in _evidence.QueryAsync<TableEntity>(filter, _pageSize, ["PartitionKey", "RowKey"], cancellationToken))
        {
            rows.Add(row);
        }
        return rows;
    }

    private async Task DeleteEvidenceAsync(List<TableEntity> rows, CancellationToken cancellationToken)
    {
        foreach (var row in rows)
        {
            await DeleteIfExistsAsync(_evidence, row.PartitionKey, row.RowKey, cancellationToken);
        }
    }

    private async Task DeleteAsync(Found found, List<TableEntity> rows, CancellationToken cancellationToken)
    {
        foreach (var key in rows.Select(r => r.GetString("IdempotencyKey")).OfType<string>())
        {
            await DeleteIfExistsAsync(_reportKeys, TableKey.For(key), "", cancellationToken);
        }
        foreach (var chunk in rows.Chunk(MaxTransactionRows))
        {
            await DeleteRowsAsync(chunk, cancellationToken);
        }
        await DeleteRowsAsync([found.Row], cancellationToken);
        if (found.Case.CaseRoom is { } room)
        {
            var claim = await _caseIndex.GetEntityIfExistsAsync<TableEntity>(
                TableStorageReportStore.CaseRoomPartitionPrefix + TableKey.For(room.Value), "", cancellationToken: cancellationToken);
            if (claim.HasValue && claim.Value!.GetString("CaseId") == found.Case.Id.Value)
            {
                await DeleteIfExistsAsync(_caseIndex, claim.Value.PartitionKey, "", cancellationToken);
            }
        }
        await DeleteIfExistsAsync(_caseIndex, found.Case.Id.Value, "", cancellationToken);
    }

    /// <summary>One transaction per chunk; when a row already went (a repeated deletion), the rest go one by one.</summary>
    private async Task DeleteRowsAsync(IReadOnlyList<TableEntity> rows, CancellationToken cancellationToken)
    {
        try
        {
            await _cases.SubmitTransactionAsync(
                rows.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            foreach (var row in rows)
            {
                await DeleteIfExistsAsync(_cases, row.PartitionKey, row.RowKey, cancellationToken);
            }
        }
    }

    private static async Task DeleteIfExistsAsync(TableClient table, string partition, string row, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partition, row, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }
}
