using Relay.Core.Cases;
using Relay.Core.Reports;

namespace Relay.Sqlite;

/// <summary>
/// One report's changes inside a transaction: the case (insert, or update at the version read), the case
/// index, the reporter set, the report, the audit lines and the outbox. The caller owns the transaction
/// (<see cref="ReportCommitBatcher"/> gives each commit a savepoint), so any conflict undoes all of it.
/// </summary>
internal static class ReportCommitWriter
{
    private const string InsertReporterSql =
        "INSERT INTO CaseReporters (CaseId, ReporterHash) VALUES (@CaseId, @Hash) ON CONFLICT DO NOTHING";

    private const string DeleteIndexSql = "DELETE FROM CaseIndex WHERE CaseId = @CaseId";

    private const string InsertIndexSql = "INSERT INTO CaseIndex (DedupeKey, CaseId) VALUES (@Key, @CaseId)";

    private const string ClaimIndexSql = """
        INSERT INTO CaseIndex (DedupeKey, CaseId)
        SELECT DedupeKey, Id FROM Cases WHERE Id = @CaseId
        ON CONFLICT (DedupeKey) DO NOTHING;
        SELECT i.CaseId FROM CaseIndex i JOIN Cases c ON c.DedupeKey = i.DedupeKey WHERE c.Id = @CaseId;
        """;

    public static async Task WriteAsync(PreparedStatements statements, ReportCommit commit, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await WriteCaseAsync(statements, commit, cancellationToken);
        await statements.For(InsertReporterSql)
            .With("@CaseId", commit.Case.Id.Value)
            .With("@Hash", commit.Report.ReporterHash)
            .ExecuteNonQueryAsync(cancellationToken);
        await ReportRows.InsertAsync(statements, commit.Report, cancellationToken);
        foreach (var entry in commit.Audit)
        {
            await AuditRows.InsertAsync(statements, entry, cancellationToken);
        }
        foreach (var message in commit.Outbox)
        {
            await QueueRows.InsertAsync(statements, message, now, cancellationToken);
        }
    }

    private static async Task WriteCaseAsync(PreparedStatements statements, ReportCommit commit, CancellationToken cancellationToken)
    {
        var @case = commit.Case;
        if (commit.IsNewCase)
        {
            // A unique violation here or on the index below means another first report opened the case first.
            await CaseRows.InsertAsync(statements, @case, cancellationToken);
        }
        else if (!CaseRows.TryParseETag(@case.ETag, out var version)
                 || !await CaseRows.UpdateAsync(statements, @case, version, cancellationToken))
        {
            throw new ConcurrencyConflictException(
                $"Case {@case.Id} changed since it was read (ETag {@case.ETag ?? "none"}).");
        }
        if (@case.State.IsOpen())
        {
            await ClaimIndexAsync(statements, @case, commit.IsNewCase, cancellationToken);
        }
        else
        {
            await statements.For(DeleteIndexSql)
                .With("@CaseId", @case.Id.Value)
                .ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The dedupe key must point at this case; if it points at another open case, this write lost.</summary>
    private static async Task ClaimIndexAsync(PreparedStatements statements, Case @case, bool isNew,
        CancellationToken cancellationToken)
    {
        if (isNew)
        {
            await statements.For(InsertIndexSql)
                .With("@Key", @case.DedupeKey)
                .With("@CaseId", @case.Id.Value)
                .ExecuteNonQueryAsync(cancellationToken);
            return;
        }
        var indexed = (string?)await statements.For(ClaimIndexSql)
            .With("@CaseId", @case.Id.Value)
            .ExecuteScalarAsync(cancellationToken);
        if (indexed != @case.Id.Value)
        {
            throw new ConcurrencyConflictException(
                $"Case {@case.Id} cannot reopen: case {indexed} is already open for the same target.");
        }
    }

    /// <summary>Programming errors, not races: fail loudly rather than store an inconsistent commit.</summary>
    public static void Validate(ReportCommit commit)
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
