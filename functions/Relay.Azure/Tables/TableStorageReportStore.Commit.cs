using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Relay.Core.Cases;
using Relay.Core.Reports;

namespace Relay.Azure.Tables;

/// <summary>
/// <para>
/// One report's commit. The case, the open-case pointer, the reporter, the report, the audit lines and
/// the outbox rows go in ONE entity-group transaction in the target's <see cref="TableNames.Cases"/>
/// partition, so they land together or not at all, and the ETag of the case row (or the Add of the
/// open-case pointer, for a new case) decides every race: a loser's transaction fails whole with 412/409.
/// </para>
/// <para>
/// Three rows live elsewhere because they must be found without the target, and are written first,
/// in an order where a crash at any point leaves nothing a reader can mistake for data:
/// (1) the idempotency-key claim (unique across targets; Add, 409 = taken, or stale after
/// <see cref="TableStorageOptions.ClaimLease"/> when its report never appeared), (2) for a new case, the
/// case-id index row (a pointer to a partition where the case may not exist: readers then see no case),
/// (3) the outbox marker (the sweep finds no outbox rows behind it and drops it). After a lost race all
/// three are removed again. After the transaction, <see cref="OutboxSender"/> sends the outbox to Service
/// Bus and deletes it; if that fails, the marker makes the sweep send it later: at least once.
/// </para>
/// </summary>
public sealed partial class TableStorageReportStore
{
    /// <summary>Table Storage's limit on one entity-group transaction.</summary>
    private const int MaxTransactionRows = 100;

    public async Task CommitAsync(ReportCommit commit, CancellationToken cancellationToken = default)
    {
        Validate(commit);
        var partition = TableKey.For(commit.Case.DedupeKey);
        var undo = new Undo();
        try
        {
            if (commit.Report.IdempotencyKey is { } key)
            {
                undo.Claim = await ClaimIdempotencyKeyAsync(key, partition, commit, cancellationToken);
                undo.ClaimPartition = TableKey.For(key);
            }
            if (commit.IsNewCase)
            {
                await _caseIndex.UpsertEntityAsync(new TableEntity(commit.Case.Id.Value, "")
                {
                    ["Partition"] = partition,
                    ["DedupeKey"] = commit.Case.DedupeKey,
                }, TableUpdateMode.Replace, cancellationToken);
                undo.Index = commit.Case.Id.Value;
            }
            if (commit.Outbox.Count > 0)
            {
                await _outbox.MarkAsync(partition, commit.Report.Id, cancellationToken);
                undo.Marker = commit.Report.Id;
            }
            await SubmitAsync(partition, commit, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            await UndoAsync(undo);
            throw;
        }
        await _outbox.SendAsync(partition, commit.Report.Id, commit.Outbox, cancellationToken);
    }

    private async Task SubmitAsync(string partition, ReportCommit commit, CancellationToken cancellationToken)
    {
        var actions = await BuildTransactionAsync(partition, commit, cancellationToken);
        try
        {
            await _cases.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            // A retry of a transaction that did commit (its response lost) fails on its own rows: then it is done.
            if (await GetAsync(_cases, partition, CaseRowKeys.Report(commit.Case.Id.Value, commit.Report.Id), cancellationToken) is not null)
            {
                return;
            }
            throw new ConcurrencyConflictException(
                $"Commit of report {commit.Report.Id} lost a race on case {commit.Case.Id} ({e.Status} {e.ErrorCode}).");
        }
    }

    private async Task<List<TableTransactionAction>> BuildTransactionAsync(string partition, ReportCommit commit,
        CancellationToken cancellationToken)
    {
        var @case = commit.Case;
        var caseId = @case.Id.Value;
        var actions = new List<TableTransactionAction>(6 + commit.Audit.Count + commit.Outbox.Count);
        var open = await GetAsync(_cases, partition, CaseRowKeys.Open, cancellationToken);
        var openCaseId = open?.GetString("CaseId");
        var caseRow = RowMapping.CaseRow(partition, @case);
        if (commit.IsNewCase)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, caseRow));
        }
        else if (string.IsNullOrEmpty(@case.ETag))
        {
            throw new ConcurrencyConflictException($"Case {caseId} is updated without the ETag it was read with.");
        }
        else
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, caseRow, new ETag(@case.ETag)));
        }
        if (@case.State.IsOpen())
        {
            if (openCaseId is not null && openCaseId != caseId)
            {
                throw new ConcurrencyConflictException($"Case {openCaseId} is already open for the target of case {caseId}.");
            }
            if (openCaseId is null)
            {
                // Add, not upsert: if another commit claims the target first, this transaction fails with 409.
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add,
                    new TableEntity(partition, CaseRowKeys.Open) { ["CaseId"] = caseId }));
            }
        }
        else if (openCaseId == caseId)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, open!, open!.ETag));
        }
        actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace,
            new TableEntity(partition, CaseRowKeys.Reporter(caseId, commit.Report.ReporterHash))
            {
                ["ReporterHash"] = commit.Report.ReporterHash,
            }));
        actions.Add(new TableTransactionAction(TableTransactionActionType.Add, RowMapping.ReportRow(partition, commit.Report)));
        var commitTicks = commit.Report.ReceivedAt.UtcTicks;
        for (var i = 0; i < commit.Audit.Count; i++)
        {
            var key = CaseRowKeys.Audit(caseId, commitTicks, commit.Report.Id, i);
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, RowMapping.AuditRow(partition, key, commit.Audit[i])));
        }
        for (var i = 0; i < commit.Outbox.Count; i++)
        {
            var key = CaseRowKeys.Outbox(commit.Report.Id, i);
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, RowMapping.OutboxRow(partition, key, commit.Outbox[i])));
        }
        return actions;
    }

    /// <summary>Returns the ETag of the claim row this commit now holds; throws when the key belongs to another report.</summary>
    private async Task<ETag> ClaimIdempotencyKeyAsync(string key, string partition, ReportCommit commit,
        CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var claim = new TableEntity(TableKey.For(key), "")
        {
            ["IdempotencyKey"] = key,
            ["Partition"] = partition,
            ["CaseId"] = commit.Case.Id.Value,
            ["ReportId"] = commit.Report.Id,
            ["ClaimedAt"] = now.UtcTicks,
        };
        try
        {
            return (await _reportKeys.AddEntityAsync(claim, cancellationToken)).Headers.ETag ?? ETag.All;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }
        var held = await GetAsync(_reportKeys, claim.PartitionKey, "", cancellationToken)
                   ?? throw new ConcurrencyConflictException("The idempotency key was released while being claimed.");
        var report = await GetAsync(_cases, RowMapping.Required(held, "Partition"),
            CaseRowKeys.Report(RowMapping.Required(held, "CaseId"), RowMapping.Required(held, "ReportId")), cancellationToken);
        if (report is not null)
        {
            throw new ConcurrencyConflictException($"The idempotency key of report {commit.Report.Id} is taken by another report.");
        }
        if (RowMapping.Time(held, "ClaimedAt") + _options.ClaimLease > now)
        {
            throw new ConcurrencyConflictException($"The idempotency key of report {commit.Report.Id} is being committed by another request.");
        }
        try
        {
            // The holder died before its transaction: take the claim over, unless someone else just did.
            return (await _reportKeys.UpdateEntityAsync(claim, held.ETag, TableUpdateMode.Replace, cancellationToken)).Headers.ETag ?? ETag.All;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            throw new ConcurrencyConflictException($"The idempotency key of report {commit.Report.Id} was taken over concurrently.");
        }
    }

    /// <summary>Best effort: whatever is left behind is harmless to readers and cleared by leases and the sweep.</summary>
    private async Task UndoAsync(Undo undo)
    {
        try
        {
            if (undo.Claim is { } etag)
            {
                await _reportKeys.DeleteEntityAsync(undo.ClaimPartition!, "", etag, CancellationToken.None);
            }
            if (undo.Index is { } caseId)
            {
                await _caseIndex.DeleteEntityAsync(caseId, "", ETag.All, CancellationToken.None);
            }
            if (undo.Marker is { } commitId)
            {
                await _outbox.UnmarkAsync(commitId, CancellationToken.None);
            }
        }
        catch (RequestFailedException e)
        {
            _logger.LogWarning("Could not clean up after a lost commit race ({Status} {ErrorCode}); leases and the sweep will",
                e.Status, e.ErrorCode);
        }
    }

    /// <summary>Programming errors, not races: fail loudly rather than store an inconsistent commit.</summary>
    private static void Validate(ReportCommit commit)
    {
        if (commit.Report.CaseId != commit.Case.Id)
        {
            throw new ArgumentException("The report must belong to the committed case.", nameof(commit));
        }
        if (commit.IsNewCase && commit.Case.ETag is not null)
        {
            throw new ArgumentException("A new case has no ETag yet.", nameof(commit));
        }
        if (commit.Audit.Any(entry => entry.CaseId != commit.Case.Id))
        {
            throw new ArgumentException("Audit lines must belong to the committed case.", nameof(commit));
        }
        if (4 + commit.Audit.Count + commit.Outbox.Count > MaxTransactionRows)
        {
            throw new ArgumentException(
                $"A commit holds at most {MaxTransactionRows - 4} audit lines and outbox messages together.", nameof(commit));
        }
    }

    /// <summary>What this commit wrote outside the transaction, to remove again when it loses.</summary>
    private sealed class Undo
    {
        public ETag? Claim { get; set; }

        public string? ClaimPartition { get; set; }

        public string? Index { get; set; }

        public string? Marker { get; set; }
    }
}
