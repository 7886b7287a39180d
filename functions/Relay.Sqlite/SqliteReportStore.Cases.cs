using Relay.Core.Cases;
using Relay.Core.Reports;

namespace Relay.Sqlite;

/// <summary>The read side: cases, their reports and their audit trail.</summary>
public sealed partial class SqliteReportStore
{
    public async Task<Case?> GetCaseAsync(CaseId id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null, $"SELECT {CaseRows.Columns} FROM Cases WHERE Id = @Id")
            .With("@Id", id.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? CaseRows.Read(reader) : null;
    }

    public async Task<IReadOnlyList<Case>> ListCasesAsync(CaseQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // Ids are ULIDs, so they break ties between cases opened in the same tick in creation order.
        // Each filter mirrors CaseQuery.Matches; a null parameter switches its filter off.
        await using var command = connection.Command(null, $"""
            SELECT {CaseRows.Columns} FROM Cases
             WHERE (@State IS NULL OR State = @State)
               AND (@Category IS NULL OR Category = @Category
                    OR (@SubPrefix IS NOT NULL AND substr(Category, 1, length(@SubPrefix)) = @SubPrefix))
               AND (@Rooms IS NULL OR {TargetColumns.OwningRoom} IN (SELECT value FROM json_each(@Rooms))
                    OR (@WithoutRoom = 1 AND {TargetColumns.OwningRoom} IS NULL))
               AND (@DueBy IS NULL OR NextDueAt <= @DueBy)
               AND (@Incident IS NULL OR Incident = @Incident)
               AND (@AfterAt IS NULL OR OpenedAt < @AfterAt OR (OpenedAt = @AfterAt AND Id < @AfterId))
             ORDER BY OpenedAt DESC, Id DESC
             LIMIT @Limit
            """)
            .With("@State", query.State?.ToString())
            .With("@Category", query.Category?.Id)
            .With("@SubPrefix", query.Category is { } category ? CaseQuery.SubCategoryPrefix(category) : null)
            .With("@Rooms", query.Rooms is { } rooms ? JsonArray(rooms.Select(r => r.Value)) : null)
            .With("@WithoutRoom", query.IncludeWithoutRoom ? 1 : 0)
            .With("@DueBy", query.DueBy is { } dueBy ? UtcTicks.From(dueBy) : (long?)null)
            .With("@Incident", query.Incident?.Value)
            .With("@AfterAt", query.After is { } after ? UtcTicks.From(after.OpenedAt) : (long?)null)
            .With("@AfterId", query.After?.Id.Value)
            .With("@Limit", query.Limit);
        return await CaseRows.ReadAllAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<Report>> GetReportsAsync(CaseId id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null, $"""
            SELECT {ReportRows.Columns} FROM Reports WHERE CaseId = @CaseId ORDER BY ReceivedAt, Id
            """)
            .With("@CaseId", id.Value);
        var reports = new List<Report>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            reports.Add(ReportRows.Read(reader));
        }
        return reports;
    }

    public async Task<IReadOnlyList<AuditEntry>> GetAuditAsync(CaseId id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null, $"""
            SELECT {AuditRows.Columns} FROM Audit WHERE CaseId = @CaseId ORDER BY Seq
            """)
            .With("@CaseId", id.Value);
        var audit = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            audit.Add(AuditRows.Read(reader));
        }
        return audit;
    }

    private static string JsonArray(IEnumerable<string> values) =>
        System.Text.Json.JsonSerializer.Serialize(values.ToArray(), SqliteJsonContext.Default.StringArray);
}
