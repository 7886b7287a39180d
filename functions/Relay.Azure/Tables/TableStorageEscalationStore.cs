using Azure;
using Azure.Data.Tables;
using Relay.Core.Cases;
using Relay.Core.Escalation;

namespace Relay.Azure.Tables;

/// <summary>
/// The Azure adapter of the escalation ports: overdue cases from the <see cref="TableNames.Cases"/> rows, and
/// preserved evidence in <see cref="TableNames.Evidence"/> (partition: escaped case id, row: escaped item; the
/// originals are kept in properties, as a key may be hashed). Tables are created with the report store's
/// (<see cref="TableStorageReportStore.CreateTablesAsync"/>), or by Bicep in Azure.
/// </summary>
public sealed class TableStorageEscalationStore : IEscalationStore, IEvidenceStore
{
    /// <summary>
    /// A string property holds at most 64 KiB (32 Ki UTF-16 characters) while a Matrix event may be 64 KB of JSON,
    /// so content is split over <c>Content00</c>, <c>Content01</c>, … (an entity holds up to 1 MiB).
    /// </summary>
    private const int ContentChunk = 30_000;

    private const int MaxContentChunks = 32;

    private readonly TableClient _cases;
    private readonly TableClient _evidence;
    private readonly int _pageSize;

    public TableStorageEscalationStore(TableServiceClient service, TableStorageOptions? options = null)
    {
        var settings = options ?? new TableStorageOptions();
        var names = new TableNames(settings.TablePrefix);
        _cases = service.GetTableClient(names.Cases);
        _evidence = service.GetTableClient(names.Evidence);
        _pageSize = settings.PageSize;
    }

    /// <summary>
    /// Scans the case rows of every partition, filtered server-side to open or escalated cases with a deadline at
    /// or before <paramref name="now"/>, and sorts here: Table Storage orders by key only and cases are keyed by
    /// target. A community has few cases with a pending deadline, so the scan is cheap at its scale; a due-time
    /// index table would be the next step if that ever changes.
    /// </summary>
    public async Task<IReadOnlyList<Case>> ListOverdueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var filter = TableClient.CreateQueryFilter(
            $"NextDueAt le {now.UtcTicks} and (State eq {nameof(CaseState.Open)} or State eq {nameof(CaseState.Escalated)})");
        var cases = await CaseRowScan.ListAsync(_cases, filter, _pageSize, cancellationToken);
        return cases
            .OrderBy(c => c.NextDueAt)
            .ThenBy(c => c.Id.Value, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
    }

    public async Task<EvidenceItem> PreserveAsync(EvidenceItem item, CancellationToken cancellationToken = default)
    {
        try
        {
            await _evidence.AddEntityAsync(ToRow(item), cancellationToken);
            return item;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Already preserved: the first preservation stands.
        }
        var stored = await _evidence.GetEntityIfExistsAsync<TableEntity>(TableKey.For(item.CaseId.Value), TableKey.For(item.Item),
            cancellationToken: cancellationToken);
        return stored.HasValue
            ? ToItem(stored.Value!)
            : throw new InvalidOperationException($"Evidence {item.Item} of case {item.CaseId} was purged while being preserved.");
    }

    public async Task<IReadOnlyList<EvidenceItem>> GetAsync(CaseId id, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKey.For(id.Value)}");
        var items = new List<EvidenceItem>();
        await foreach (var row in _evidence.QueryAsync<TableEntity>(filter, _pageSize, cancellationToken: cancellationToken))
        {
            items.Add(ToItem(row));
        }
        return items.OrderBy(e => e.PreservedAt).ThenBy(e => e.Item, StringComparer.Ordinal).ToList();
    }

    /// <summary>Scans the Evidence table for expired rows (filtered server-side) and deletes them one by one.</summary>
    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"ExpiresAt le {now.UtcTicks}");
        var expired = new List<TableEntity>();
        await foreach (var row in _evidence.QueryAsync<TableEntity>(filter, _pageSize, ["PartitionKey", "RowKey"], cancellationToken))
        {
            expired.Add(row);
        }
        var purged = 0;
        foreach (var row in expired)
        {
            try
            {
                await _evidence.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
                purged++;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Another instance purged it first.
            }
        }
        return purged;
    }

    private static TableEntity ToRow(EvidenceItem item)
    {
        var row = new TableEntity(TableKey.For(item.CaseId.Value), TableKey.For(item.Item))
        {
            ["CaseId"] = item.CaseId.Value,
            ["Item"] = item.Item,
            ["Sha256"] = item.Sha256,
            ["ReportedAt"] = item.ReportedAt.UtcTicks,
            ["EscalatedAt"] = item.EscalatedAt.UtcTicks,
            ["PreservedAt"] = item.PreservedAt.UtcTicks,
            ["ExpiresAt"] = item.ExpiresAt.UtcTicks,
        };
        var chunks = Chunks(item.Content);
        if (chunks.Count > MaxContentChunks)
        {
            throw new ArgumentException($"Evidence {item.Item} is too large to preserve ({item.Content.Length} characters).", nameof(item));
        }
        row["ContentChunks"] = chunks.Count;
        for (var i = 0; i < chunks.Count; i++)
        {
            row[ContentProperty(i)] = chunks[i];
        }
        return row;
    }

    private static EvidenceItem ToItem(TableEntity row)
    {
        var chunks = row.GetInt32("ContentChunks") ?? 0;
        var content = string.Concat(Enumerable.Range(0, chunks).Select(i => RowMapping.Required(row, ContentProperty(i))));
        return new EvidenceItem(
            CaseId.Parse(RowMapping.Required(row, "CaseId")),
            RowMapping.Required(row, "Item"),
            content,
            RowMapping.Required(row, "Sha256"),
            RowMapping.Time(row, "ReportedAt"),
            RowMapping.Time(row, "EscalatedAt"),
            RowMapping.Time(row, "PreservedAt"),
            RowMapping.Time(row, "ExpiresAt"));
    }

    /// <summary>Splits without parting a surrogate pair, which would not survive the service's UTF-8 on its own.</summary>
    private static List<string> Chunks(string content)
    {
        var chunks = new List<string>();
        for (var start = 0; start < content.Length;)
        {
            var length = Math.Min(ContentChunk, content.Length - start);
            if (start + length < content.Length && char.IsHighSurrogate(content[start + length - 1]))
            {
                length--;
            }
            chunks.Add(content.Substring(start, length));
            start += length;
        }
        return chunks;
    }

    private static string ContentProperty(int index) => $"Content{index:D2}";
}
