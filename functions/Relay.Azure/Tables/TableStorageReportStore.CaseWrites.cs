using Azure;
using Azure.Data.Tables;
using Relay.Core;
using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Core.Queue;
using Relay.Core.Reports;

namespace Relay.Azure.Tables;

/// <summary>
/// The case write side on Table Storage: the case row (ETag-checked), the open-case pointer, audit lines
/// and outbox rows change in one entity-group transaction in the case's partition, as intake's commit does.
/// A case room is claimed in <see cref="TableNames.CaseIndex"/> before the transaction (so one room
/// serves one case), and released again if the transaction loses.
/// </summary>
public sealed partial class TableStorageReportStore : ICaseWriteStore
{
    internal const string CaseRoomPartitionPrefix = "caseroom|";

    public async Task<Case> UpdateCaseAsync(Case updated, IReadOnlyList<AuditEntry> audit, IReadOnlyList<QueueMessage> outbox,
        CancellationToken cancellationToken = default)
    {
        if (audit.Any(entry => entry.CaseId != updated.Id))
        {
            throw new ArgumentException("Audit lines must belong to the updated case.", nameof(audit));
        }
        if (4 + audit.Count + outbox.Count > MaxTransactionRows)
        {
            throw new ArgumentException($"An update holds at most {MaxTransactionRows - 4} audit lines and outbox messages together.", nameof(audit));
        }
        if (string.IsNullOrEmpty(updated.ETag))
        {
            throw new ConcurrencyConflictException($"Case {updated.Id} has no ETag: read it first.");
        }
        var partition = TableKey.For(updated.DedupeKey);
        var caseId = updated.Id.Value;
        var commitId = _ids.Next();
        var claimedRoom = updated.CaseRoom is { } room && await ClaimCaseRoomAsync(room, updated.Id, partition, cancellationToken);
        var marked = false;
        try
        {
            if (outbox.Count > 0)
            {
                await _outbox.MarkAsync(partition, commitId, cancellationToken);
                marked = true;
            }
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.UpdateReplace, RowMapping.CaseRow(partition, updated), new ETag(updated.ETag)),
            };
            if (!updated.State.IsOpen()
                && await GetAsync(_cases, partition, CaseRowKeys.Open, cancellationToken) is { } open
                && open.GetString("CaseId") == caseId)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, open, open.ETag));
            }
            AddAuditAndOutbox(actions, partition, caseId, _time.GetUtcNow().UtcTicks, commitId, audit, outbox);
            Response<IReadOnlyList<Response>> result;
            try
            {
                result = await _cases.SubmitTransactionAsync(actions, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
            {
                throw new ConcurrencyConflictException($"Case {caseId} changed since it was read ({e.Status} {e.ErrorCode}).");
            }
            await _outbox.SendAsync(partition, commitId, outbox, cancellationToken);
            var etag = result.Value.Count > 0 ? result.Value[0].Headers.ETag : null;
            return etag is { } fresh
                ? updated with { ETag = fresh.ToString() }
                : await GetCaseAsync(updated.Id, cancellationToken) ?? throw new ConcurrencyConflictException($"Case {caseId} is gone.");
        }
        catch (ConcurrencyConflictException)
        {
            await ReleaseAsync(claimedRoom ? updated.CaseRoom : null, marked ? commitId : null);
            throw;
        }
    }

    public async Task AppendAuditAsync(IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken = default)
    {
        foreach (var group in audit.GroupBy(entry => entry.CaseId))
        {
            var partition = await PartitionOfAsync(group.Key, cancellationToken)
                            ?? throw new InvalidOperationException($"No case {group.Key} to append audit lines to.");
            var commitId = _ids.Next();
            var ticks = _time.GetUtcNow().UtcTicks;
            foreach (var chunk in group.Select((entry, index) => (entry, index)).Chunk(MaxTransactionRows))
            {
                await _cases.SubmitTransactionAsync(chunk.Select(line => new TableTransactionAction(TableTransactionActionType.Add,
                    RowMapping.AuditRow(partition, CaseRowKeys.Audit(group.Key.Value, ticks, commitId, line.index), line.entry))),
                    cancellationToken);
            }
        }
    }

    public async Task<Case?> FindCaseByRoomAsync(RoomId caseRoom, CancellationToken cancellationToken = default)
    {
        var claim = await GetAsync(_caseIndex, CaseRoomPartitionPrefix + TableKey.For(caseRoom.Value), "", cancellationToken);
        if (claim?.GetString("CaseId") is not { } id || !CaseId.TryParse(id, out var caseId))
        {
            return null;
        }
        var found = await GetCaseAsync(caseId, cancellationToken);
        return found?.CaseRoom == caseRoom ? found : null;
    }

    /// <summary>Scans case rows about the room (server-side filtered); a community has few open cases.</summary>
    public async Task<IReadOnlyList<Case>> ListOpenCasesWithRoomsAsync(RoomId reportedRoom, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter(
            $"RowKey ge {CaseRowKeys.CasePrefix} and RowKey lt {CaseRowKeys.UpperBound(CaseRowKeys.CasePrefix)} and RoomId eq {reportedRoom.Value}");
        var cases = new List<Case>();
        await foreach (var row in _cases.QueryAsync<TableEntity>(filter, _options.PageSize, cancellationToken: cancellationToken))
        {
            var found = RowMapping.ToCase(row);
            if (found.State.IsOpen() && found.CaseRoom is not null)
            {
                cases.Add(found);
            }
        }
        return cases.OrderBy(c => c.OpenedAt).ThenBy(c => c.Id.Value, StringComparer.Ordinal).ToList();
    }

    public async Task AddFollowerAsync(CaseId id, UserId reporter, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var partition = await PartitionOfAsync(id, cancellationToken)
                        ?? throw new InvalidOperationException($"No case {id} to follow.");
        try
        {
            await _cases.AddEntityAsync(new TableEntity(partition, CaseRowKeys.Follower(id.Value, reporter.Value))
            {
                ["UserId"] = reporter.Value,
                ["OptedInAt"] = at.UtcTicks,
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Already following: the first opt-in stands.
        }
    }

    public async Task<IReadOnlyList<UserId>> GetFollowersAsync(CaseId id, CancellationToken cancellationToken = default)
    {
        var rows = await QueryPrefixAsync(id, CaseRowKeys.FollowerPrefix(id.Value), cancellationToken);
        return rows
            .OrderBy(r => r.GetInt64("OptedInAt") ?? 0)
            .ThenBy(r => r.GetString("UserId"), StringComparer.Ordinal)
            .Select(r => UserId.Parse(RowMapping.Required(r, "UserId")))
            .ToList();
    }

    private static void AddAuditAndOutbox(List<TableTransactionAction> actions, string partition, string caseId, long ticks,
        string commitId, IReadOnlyList<AuditEntry> audit, IReadOnlyList<QueueMessage> outbox)
    {
        for (var i = 0; i < audit.Count; i++)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add,
                RowMapping.AuditRow(partition, CaseRowKeys.Audit(caseId, ticks, commitId, i), audit[i])));
        }
        for (var i = 0; i < outbox.Count; i++)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add,
                RowMapping.OutboxRow(partition, CaseRowKeys.Outbox(commitId, i), outbox[i])));
        }
    }

    /// <summary>
    /// True when this call claimed the room (false when the case already held it); throws when another
    /// case holds it. A claim whose case no longer names the room (a lost race that could not clean up) is taken over.
    /// </summary>
    private async Task<bool> ClaimCaseRoomAsync(RoomId room, CaseId id, string partition, CancellationToken cancellationToken)
    {
        var claim = new TableEntity(CaseRoomPartitionPrefix + TableKey.For(room.Value), "")
        {
            ["RoomId"] = room.Value,
            ["CaseId"] = id.Value,
            ["Partition"] = partition,
        };
        try
        {
            await _caseIndex.AddEntityAsync(claim, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }
        var held = await GetAsync(_caseIndex, claim.PartitionKey, "", cancellationToken)
                   ?? throw new ConcurrencyConflictException($"The claim on case room {room} moved while it was read.");
        if (held.GetString("CaseId") == id.Value)
        {
            return false;
        }
        if (CaseId.TryParse(held.GetString("CaseId"), out var other) && (await GetCaseAsync(other, cancellationToken))?.CaseRoom == room)
        {
            throw new ConcurrencyConflictException($"Room {room} is already the case room of case {other}.");
        }
        try
        {
            await _caseIndex.UpdateEntityAsync(claim, held.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            throw new ConcurrencyConflictException($"Room {room} was claimed concurrently.");
        }
    }

    private async Task ReleaseAsync(RoomId? room, string? commitId)
    {
        try
        {
            if (room is { } claimed)
            {
                await _caseIndex.DeleteEntityAsync(CaseRoomPartitionPrefix + TableKey.For(claimed.Value), "", ETag.All, CancellationToken.None);
            }
            if (commitId is not null)
            {
                await _outbox.UnmarkAsync(commitId, CancellationToken.None);
            }
        }
        catch (RequestFailedException)
        {
            // Harmless leftovers: a stale room claim is taken over, an empty marker dropped by the sweep.
        }
    }
}
