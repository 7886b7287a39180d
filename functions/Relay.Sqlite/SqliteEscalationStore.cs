using Relay.Core.Cases;
using Relay.Core.Escalation;

namespace Relay.Sqlite;

/// <summary>The embedded adapter of the escalation ports: overdue cases for the sweep, and the Evidence table.</summary>
public sealed class SqliteEscalationStore(SqliteDatabase database) : IEscalationStore, IEvidenceStore
{
    private const string EvidenceColumns = "CaseId, Item, Content, Sha256, ReportedAt, EscalatedAt, PreservedAt, ExpiresAt";

    public async Task<IReadOnlyList<Case>> ListOverdueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null, $"""
            SELECT {CaseRows.Columns} FROM Cases
             WHERE NextDueAt IS NOT NULL AND NextDueAt <= @Now AND State IN ('Open', 'Escalated')
             ORDER BY NextDueAt, Id
             LIMIT @Limit
            """)
            .With("@Now", UtcTicks.From(now))
            .With("@Limit", limit);
        return await CaseRows.ReadAllAsync(command, cancellationToken);
    }

    public async Task<EvidenceItem> PreserveAsync(EvidenceItem item, CancellationToken cancellationToken = default)
    {
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            await connection.Command(null, $"""
                    INSERT INTO Evidence ({EvidenceColumns})
                    VALUES (@CaseId, @Item, @Content, @Sha256, @ReportedAt, @EscalatedAt, @PreservedAt, @ExpiresAt)
                    ON CONFLICT (CaseId, Item) DO NOTHING
                    """)
                .With("@CaseId", item.CaseId.Value)
                .With("@Item", item.Item)
                .With("@Content", item.Content)
                .With("@Sha256", item.Sha256)
                .With("@ReportedAt", UtcTicks.From(item.ReportedAt))
                .With("@EscalatedAt", UtcTicks.From(item.EscalatedAt))
                .With("@PreservedAt", UtcTicks.From(item.PreservedAt))
                .With("@ExpiresAt", UtcTicks.From(item.ExpiresAt))
                .ExecuteAndDisposeAsync(cancellationToken);
        }
        return (await GetAsync(item.CaseId, cancellationToken)).Single(e => e.Item == item.Item);
    }

    public async Task<IReadOnlyList<EvidenceItem>> GetAsync(CaseId id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null, $"SELECT {EvidenceColumns} FROM Evidence WHERE CaseId = @CaseId ORDER BY PreservedAt, Item")
            .With("@CaseId", id.Value);
        var items = new List<EvidenceItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new EvidenceItem(CaseId.Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                UtcTicks.ToTime(reader.GetInt64(4)), UtcTicks.ToTime(reader.GetInt64(5)), UtcTicks.ToTime(reader.GetInt64(6)),
                UtcTicks.ToTime(reader.GetInt64(7))));
        }
        return items;
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.Command(null, "DELETE FROM Evidence WHERE ExpiresAt <= @Now")
            .With("@Now", UtcTicks.From(now))
            .ExecuteAndDisposeAsync(cancellationToken);
    }
}
