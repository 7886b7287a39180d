using Microsoft.Data.Sqlite;
using Relay.Core.Cases;
using Relay.Core.Retention;
using Relay.Core.Statistics;

namespace Relay.Sqlite;

/// <summary>
/// The embedded adapter of the lifecycle ports: finding cases for the figures, deleting closed ones when their retention
/// ends, and erasing one under a tombstone in <c>Purges</c>. Each deletion is one transaction, so a crash leaves the case
/// whole or gone; the Audit trigger lets lines go only with a closed case or under a tombstone.
/// </summary>
public sealed class SqliteCaseLifecycleStore(SqliteDatabase database) : ICaseRetentionStore, ICaseActivityStore
{
    private const string PurgeColumns = "CaseId, PurgedAt, Actor, Reports, AuditLines, EvidenceItems";

    public async Task<IReadOnlyList<Case>> ListActiveCasesAsync(ReportingPeriod period, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null, $"""
            SELECT {CaseRows.Columns} FROM Cases
             WHERE OpenedAt < @To AND (State IN ('Open', 'Acknowledged', 'Escalated') OR UpdatedAt >= @From)
            """)
            .With("@From", UtcTicks.From(period.From))
            .With("@To", UtcTicks.From(period.To));
        return await CaseRows.ReadAllAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<CaseId>> ListClosedBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null, """
            SELECT Id FROM Cases
             WHERE State IN ('Resolved', 'Dismissed') AND UpdatedAt < @Cutoff
             ORDER BY UpdatedAt, Id
             LIMIT @Limit
            """)
            .With("@Cutoff", UtcTicks.From(cutoff))
            .With("@Limit", limit);
        var ids = new List<CaseId>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(CaseId.Parse(reader.GetString(0)));
        }
        return ids;
    }

    public async Task<CaseDeletion?> DeleteClosedCaseAsync(CaseId id, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using (var check = connection.Command(transaction, """
                         SELECT 1 FROM Cases WHERE Id = @Id AND State IN ('Resolved', 'Dismissed') AND UpdatedAt < @Cutoff
                         """)
                         .With("@Id", id.Value)
                         .With("@Cutoff", UtcTicks.From(cutoff)))
        {
            if (await check.ExecuteScalarAsync(cancellationToken) is null)
            {
                return null;
            }
        }
        var deleted = await DeleteRowsAsync(connection, transaction, id, withEvidence: false, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    public async Task<PurgeRecord?> PurgeCaseAsync(PurgeRecord tombstone, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (await FindPurgeAsync(connection, transaction, tombstone.CaseId, cancellationToken) is { } earlier)
        {
            return earlier;
        }
        // Evidence outlives a case deleted by retention, so there may be evidence to erase and no case.
        await using (var exists = connection.Command(transaction,
                         "SELECT 1 WHERE EXISTS (SELECT 1 FROM Cases WHERE Id = @Id) OR EXISTS (SELECT 1 FROM Evidence WHERE CaseId = @Id)")
                         .With("@Id", tombstone.CaseId.Value))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                return null;
            }
        }
        // The tombstone goes in first: the Audit trigger lets an open case's lines go only under it.
        await connection.Command(transaction, $"INSERT INTO Purges ({PurgeColumns}) VALUES (@CaseId, @PurgedAt, @Actor, 0, 0, 0)")
            .With("@CaseId", tombstone.CaseId.Value)
            .With("@PurgedAt", UtcTicks.From(tombstone.PurgedAt))
            .With("@Actor", tombstone.Actor)
            .ExecuteAndDisposeAsync(cancellationToken);
        var deleted = await DeleteRowsAsync(connection, transaction, tombstone.CaseId, withEvidence: true, cancellationToken);
        var stored = tombstone with { Reports = deleted.Reports, AuditLines = deleted.AuditLines, EvidenceItems = deleted.EvidenceItems };
        await connection.Command(transaction, "UPDATE Purges SET Reports = @Reports, AuditLines = @AuditLines, EvidenceItems = @EvidenceItems WHERE CaseId = @CaseId")
            .With("@CaseId", stored.CaseId.Value)
            .With("@Reports", stored.Reports)
            .With("@AuditLines", stored.AuditLines)
            .With("@EvidenceItems", stored.EvidenceItems)
            .ExecuteAndDisposeAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task<PurgeRecord?> FindPurgeAsync(CaseId id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await FindPurgeAsync(connection, null, id, cancellationToken);
    }

    private static async Task<PurgeRecord?> FindPurgeAsync(SqliteConnection connection, SqliteTransaction? transaction, CaseId id,
        CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, $"SELECT {PurgeColumns} FROM Purges WHERE CaseId = @CaseId")
            .With("@CaseId", id.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new PurgeRecord(CaseId.Parse(reader.GetString(0)), UtcTicks.ToTime(reader.GetInt64(1)), reader.GetString(2),
                reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5))
            : null;
    }

    /// <summary>Children before the case row, which the foreign keys require.</summary>
    private static async Task<CaseDeletion> DeleteRowsAsync(SqliteConnection connection, SqliteTransaction transaction, CaseId id,
        bool withEvidence, CancellationToken cancellationToken)
    {
        async Task<int> DeleteAsync(string table, string column = "CaseId") =>
            await connection.Command(transaction, $"DELETE FROM {table} WHERE {column} = @Id").With("@Id", id.Value)
                .ExecuteAndDisposeAsync(cancellationToken);

        var audit = await DeleteAsync("Audit");
        var reports = await DeleteAsync("Reports");
        await DeleteAsync("CaseReporters");
        await DeleteAsync("CaseFollowers");
        await DeleteAsync("CaseIndex");
        var evidence = withEvidence ? await DeleteAsync("Evidence") : 0;
        await DeleteAsync("Cases", "Id");
        return new CaseDeletion(id, reports, audit, evidence);
    }
}
