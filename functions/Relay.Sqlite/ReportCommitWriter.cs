using Microsoft.Data.Sqlite;
using Relay.Core.Cases;
using Relay.Core.Reports;

namespace Relay.Sqlite;

/// <summary>
/// One report's changes in one transaction: the case (insert, or update at the version read), the
/// case index, the reporter set, the report, the audit lines and the outbox. Any conflict rolls all of it back.
/// </summary>
internal static class ReportCommitWriter
{
    public static async Task WriteAsync(SqliteDatabase database, ReportCommit commit, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        Validate(commit);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // IMMEDIATE takes the write lock up front: a deferred transaction that reads and then writes can
        // hit SQLITE_BUSY on the upgrade, which busy_timeout cannot wait out.
        await using var transaction = connection.BeginTransaction(deferred: false);
        try
        {
            await WriteCaseAsync(connection, transaction, commit, cancellationToken);
            await connection.Command(transaction,
                    "INSERT INTO CaseReporters (CaseId, ReporterHash) VALUES (@CaseId, @Hash) ON CONFLICT DO NOTHING")
                .With("@CaseId", commit.Case.Id.Value)
                .With("@Hash", commit.Report.ReporterHash)
                .ExecuteAndDisposeAsync(cancellationToken);
            await ReportRows.InsertAsync(connection, transaction, commit.Report, cancellationToken);
            foreach (var entry in commit.Audit)
            {
                await AuditRows.InsertAsync(connection, transaction, entry, cancellationToken);
            }
            foreach (var message in commit.Outbox)
            {
                await QueueRows.InsertAsync(connection, transaction, message, now, cancellationToken);
            }
        }
        catch (SqliteException ex) when (ex.IsUniqueViolation())
        {
            throw new ConcurrencyConflictException(
                $"Commit of report {commit.Report.Id} conflicts with a concurrent write: {ex.Message}");
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task WriteCaseAsync(SqliteConnection connection, SqliteTransaction transaction,
        ReportCommit commit, CancellationToken cancellationToken)
    {
        var @case = commit.Case;
        if (commit.IsNewCase)
        {
            // A unique violation here or on the index below means another first report opened the case first.
            await CaseRows.InsertAsync(connection, transaction, @case, cancellationToken);
        }
        else if (!CaseRows.TryParseETag(@case.ETag, out var version)
                 || !await CaseRows.UpdateAsync(connection, transaction, @case, version, cancellationToken))
        {
            throw new ConcurrencyConflictException(
                $"Case {@case.Id} changed since it was read (ETag {@case.ETag ?? "none"}).");
        }
        if (@case.State.IsOpen())
        {
            await ClaimIndexAsync(connection, transaction, @case, commit.IsNewCase, cancellationToken);
        }
        else
        {
            await connection.Command(transaction, "DELETE FROM CaseIndex WHERE CaseId = @CaseId")
                .With("@CaseId", @case.Id.Value)
                .ExecuteAndDisposeAsync(cancellationToken);
        }
    }

    /// <summary>The dedupe key must point at this case; if it points at another open case, this write lost.</summary>
    private static async Task ClaimIndexAsync(SqliteConnection connection, SqliteTransaction transaction, Case @case,
        bool isNew, CancellationToken cancellationToken)
    {
        if (isNew)
        {
            await connection.Command(transaction, "INSERT INTO CaseIndex (DedupeKey, CaseId) VALUES (@Key, @CaseId)")
                .With("@Key", @case.Target.DedupeKey)
                .With("@CaseId", @case.Id.Value)
                .ExecuteAndDisposeAsync(cancellationToken);
            return;
        }
        await using var command = connection.Command(transaction, """
            INSERT INTO CaseIndex (DedupeKey, CaseId)
            SELECT DedupeKey, Id FROM Cases WHERE Id = @CaseId
            ON CONFLICT (DedupeKey) DO NOTHING;
            SELECT i.CaseId FROM CaseIndex i JOIN Cases c ON c.DedupeKey = i.DedupeKey WHERE c.Id = @CaseId;
            """)
            .With("@CaseId", @case.Id.Value);
        var indexed = (string?)await command.ExecuteScalarAsync(cancellationToken);
        if (indexed != @case.Id.Value)
        {
            throw new ConcurrencyConflictException(
                $"Case {@case.Id} cannot reopen: case {indexed} is already open for the same target.");
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
        foreach (var entry in commit.Audit)
        {
            if (entry.CaseId != commit.Case.Id)
            {
                throw new ArgumentException("Audit lines must belong to the committed case.", nameof(commit));
            }
        }
    }
}
