using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Relay.Core.Reports;

namespace Relay.Sqlite;

/// <summary>
/// Group commit: report commits that arrive while another batch is being written wait, and are then written
/// together in one SQLite transaction, so many reports share one fsync, taken after the write lock is released
/// (<see cref="SqliteDatabase.SyncWal"/>). Each caller's task completes only after the transaction holding its commit
/// is durable; a commit that conflicts fails alone, exactly as it would have in a transaction of its own (the batch is
/// then written again with a savepoint per commit).
/// No background thread: whichever caller finds no batch in progress writes the batches until none is left.
/// </summary>
internal sealed class ReportCommitBatcher(SqliteDatabase database)
{
    /// <summary>Bounds one transaction's size (and so the latency of the caller that writes it).</summary>
    public const int MaxBatch = 256;

    private readonly ConcurrentQueue<Pending> _pending = new();
    private int _writing;

    public async Task CommitAsync(ReportCommit commit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ReportCommitWriter.Validate(commit);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(commit, now);
        _pending.Enqueue(pending);
        // Whoever finishes writing looks again, so a commit queued while it was writing is never left behind.
        while ((!pending.Done.Task.IsCompleted || !_pending.IsEmpty) && Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
        {
            try
            {
                await WriteWaitingBatchesAsync();
            }
            finally
            {
                Volatile.Write(ref _writing, 0);
            }
        }
        // Once queued, a commit is written even if this caller gives up waiting: it must not fail others in its batch.
        await pending.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteWaitingBatchesAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (true)
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _pending.TryDequeue(out var next))
            {
                batch.Add(next);
            }
            if (batch.Count == 0)
            {
                return;
            }
            await WriteBatchAsync(batch);
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        var written = new List<Pending>(batch.Count);
        try
        {
            await CommitBatchAsync(batch, written);
            database.SyncWal();
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(e);
            }
            return;
        }
        foreach (var pending in written)
        {
            pending.Done.TrySetResult();
        }
    }

    /// <summary>Writes the batch in one transaction and commits it, without fsync; fills <paramref name="written"/>.</summary>
    private async Task CommitBatchAsync(List<Pending> batch, List<Pending> written)
    {
        await using var kept = await database.RentGroupCommitAsync(CancellationToken.None);
        if (await TryCommitWholeAsync(kept, batch))
        {
            written.AddRange(batch);
            return;
        }
        await CommitEachInSavepointAsync(kept, batch, written);
    }

    /// <summary>
    /// The usual case: no commit in the batch conflicts, and the batch is written without savepoints. A savepoint per
    /// commit cost ~20% of intake's CPU (two more statements, and a copy of every page it touched). False, with
    /// nothing written, when a commit conflicts; then every commit gets its savepoint and the conflicting ones fail alone.
    /// </summary>
    private static async Task<bool> TryCommitWholeAsync(KeptConnection kept, List<Pending> batch)
    {
        // IMMEDIATE takes the write lock up front: a deferred transaction that reads and then writes can
        // hit SQLITE_BUSY on the upgrade, which busy_timeout cannot wait out.
        await using var transaction = kept.Connection.BeginTransaction(deferred: false);
        kept.Statements.Transaction = transaction;
        foreach (var pending in batch)
        {
            try
            {
                await ReportCommitWriter.WriteAsync(kept.Statements, pending.Commit, pending.Now, CancellationToken.None);
            }
            catch (Exception e) when (IsCommitsOwnFailure(e))
            {
                return false;
            }
        }
        await transaction.CommitAsync(CancellationToken.None);
        return true;
    }

    private static async Task CommitEachInSavepointAsync(KeptConnection kept, List<Pending> batch, List<Pending> written)
    {
        await using var transaction = kept.Connection.BeginTransaction(deferred: false);
        kept.Statements.Transaction = transaction;
        foreach (var pending in batch)
        {
            transaction.Save("report");
            try
            {
                await ReportCommitWriter.WriteAsync(kept.Statements, pending.Commit, pending.Now, CancellationToken.None);
                transaction.Release("report");
                written.Add(pending);
            }
            catch (Exception e) when (IsCommitsOwnFailure(e))
            {
                transaction.Rollback("report");
                transaction.Release("report");
                pending.Done.TrySetException(e is SqliteException sqlite && sqlite.IsUniqueViolation()
                    ? new ConcurrencyConflictException($"Commit of report {pending.Commit.Report.Id} conflicts with a concurrent write: {e.Message}")
                    : e);
            }
        }
        await transaction.CommitAsync(CancellationToken.None);
    }

    /// <summary>Failures that undo one commit only; I/O errors and a full disk (10, 13) fail the whole batch.</summary>
    private static bool IsCommitsOwnFailure(Exception e) =>
        e is ConcurrencyConflictException or SqliteException { SqliteErrorCode: not (10 or 13) };

    private sealed class Pending(ReportCommit commit, DateTimeOffset now)
    {
        public ReportCommit Commit { get; } = commit;

        public DateTimeOffset Now { get; } = now;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
