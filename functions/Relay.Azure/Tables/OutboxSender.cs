using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Relay.Core.Queue;
using Relay.Core.Sweep;

namespace Relay.Azure.Tables;

/// <summary>
/// Delivers outbox rows to the queue at least once. A commit sends its own rows right after its
/// transaction and then deletes them; a marker row (one per commit, in one small partition) survives
/// until that has happened, so the sweep finds what a crash or a Service Bus outage left behind without
/// scanning the case partitions. Service Bus duplicate detection (MessageId) absorbs the resends.
/// </summary>
public sealed class OutboxSender : ISweepPart
{
    private const string MarkerPartition = "pending";

    private readonly TableClient _cases;
    private readonly TableClient _markers;
    private readonly ICaseQueue _queue;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _grace;

    internal OutboxSender(TableClient cases, TableClient markers, ICaseQueue queue, TimeProvider time, ILogger logger,
        TimeSpan grace)
    {
        _cases = cases;
        _markers = markers;
        _queue = queue;
        _time = time;
        _logger = logger;
        _grace = grace;
    }

    public string Name => "outbox";

    internal Task MarkAsync(string partition, string commitId, CancellationToken cancellationToken) =>
        _markers.UpsertEntityAsync(new TableEntity(MarkerPartition, commitId)
        {
            ["Partition"] = partition,
            ["CreatedAt"] = _time.GetUtcNow().UtcTicks,
        }, TableUpdateMode.Replace, cancellationToken);

    internal Task UnmarkAsync(string commitId, CancellationToken cancellationToken) =>
        _markers.DeleteEntityAsync(MarkerPartition, commitId, ETag.All, cancellationToken);

    /// <summary>Sends a committed outbox; false (logged) when the sweep must finish it. Never throws for a send failure.</summary>
    internal async Task<bool> SendAsync(string partition, string commitId, IReadOnlyList<QueueMessage> messages,
        CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return true;
        }
        try
        {
            foreach (var message in messages)
            {
                await _queue.EnqueueAsync(message, cancellationToken);
            }
            var keys = Enumerable.Range(0, messages.Count).Select(i => CaseRowKeys.Outbox(commitId, i)).ToList();
            await DeleteRowsAsync(partition, keys, cancellationToken);
            await UnmarkAsync(commitId, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or TimeoutException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The commit stands; its messages wait in the table for the sweep. No message content in the log.
            _logger.LogWarning("Outbox of commit {CommitId} not sent yet ({ErrorType}); the sweep will resend it",
                commitId, e.GetType().Name);
            return false;
        }
    }

    /// <summary>Sends every outbox older than the grace period; returns how many messages it sent.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var sent = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {MarkerPartition}");
        await foreach (var marker in _markers.QueryAsync<TableEntity>(filter, 1000, cancellationToken: cancellationToken))
        {
            var age = now - RowMapping.Time(marker, "CreatedAt");
            if (age < _grace)
            {
                continue;
            }
            var partition = RowMapping.Required(marker, "Partition");
            var rows = await ReadRowsAsync(partition, marker.RowKey, cancellationToken);
            if (rows.Count == 0)
            {
                // A commit that lost its race, or one already sent; give a very slow transaction ample time first.
                if (age >= _grace * 10)
                {
                    await UnmarkAsync(marker.RowKey, cancellationToken);
                }
                continue;
            }
            foreach (var row in rows)
            {
                await _queue.EnqueueAsync(RowMapping.ToMessage(row), cancellationToken);
            }
            await DeleteRowsAsync(partition, rows.Select(r => r.RowKey).ToList(), cancellationToken);
            await UnmarkAsync(marker.RowKey, cancellationToken);
            sent += rows.Count;
            _logger.LogInformation("Resent {Count} outbox message(s) of commit {CommitId}", rows.Count, marker.RowKey);
        }
        return sent;
    }

    private async Task<List<TableEntity>> ReadRowsAsync(string partition, string commitId, CancellationToken cancellationToken)
    {
        var prefix = CaseRowKeys.OutboxPrefix(commitId);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {CaseRowKeys.UpperBound(prefix)}");
        var rows = new List<TableEntity>();
        await foreach (var row in _cases.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }
        return rows.OrderBy(r => r.RowKey, StringComparer.Ordinal).ToList();
    }

    private async Task DeleteRowsAsync(string partition, IReadOnlyList<string> rowKeys, CancellationToken cancellationToken)
    {
        var deletes = rowKeys.Select(key => new TableTransactionAction(TableTransactionActionType.Delete,
            new TableEntity(partition, key), ETag.All));
        try
        {
            await _cases.SubmitTransactionAsync(deletes, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Someone (the sweep, or the commit itself) deleted them first; deleting row by row finishes the rest.
            foreach (var key in rowKeys)
            {
                try
                {
                    await _cases.DeleteEntityAsync(partition, key, ETag.All, cancellationToken);
                }
                catch (RequestFailedException inner) when (inner.Status == 404)
                {
                }
            }
        }
    }
}
