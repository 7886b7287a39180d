using System.Globalization;
using Microsoft.Data.Sqlite;
using Relay.Core.Cases;
using Relay.Core.Identifiers;

namespace Relay.Sqlite;

/// <summary>
/// The Cases table. <c>Version</c> is the optimistic-concurrency counter that callers see as
/// <see cref="Case.ETag"/>; every update must name the version it read.
/// </summary>
internal static class CaseRows
{
    public const string Columns =
        "Id, " + TargetColumns.Names + ", State, Tier, Category, ReporterCount, ReportCount, OpenedAt, UpdatedAt, CaseRoom, Version, SummaryEvent, SummaryRevision, NextDueAt, DedupeKey, Incident";

    private const string InsertSql = $"""
        INSERT INTO Cases ({Columns})
        VALUES (@Id, {TargetColumns.Parameters}, @State, @Tier, @Category, @ReporterCount, @ReportCount,
                @OpenedAt, @UpdatedAt, @CaseRoom, 1, @SummaryEvent, @SummaryRevision, @NextDueAt, @DedupeKey, @Incident)
        """;

    // Target, dedupe key and opening time are fixed at creation; everything else may move.
    private const string UpdateSql = """
        UPDATE Cases
           SET State = @State, Tier = @Tier, Category = @Category, ReporterCount = @ReporterCount,
               ReportCount = @ReportCount, UpdatedAt = @UpdatedAt, CaseRoom = @CaseRoom,
               SummaryEvent = @SummaryEvent, SummaryRevision = @SummaryRevision, NextDueAt = @NextDueAt,
               Incident = @Incident,
               Version = Version + 1
         WHERE Id = @Id AND Version = @Version
        """;

    public static async Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, Case @case,
        CancellationToken cancellationToken)
    {
        await using var statements = new PreparedStatements(connection, transaction);
        await InsertAsync(statements, @case, cancellationToken);
    }

    public static async Task InsertAsync(PreparedStatements statements, Case @case, CancellationToken cancellationToken)
    {
        var command = statements.For(InsertSql)
            .WithTarget(@case.Target)
            .With("@DedupeKey", @case.DedupeKey)
            .With("@OpenedAt", UtcTicks.From(@case.OpenedAt))
            .WithMutableFields(@case);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>False when the version no longer matches (or the case is gone): someone else wrote first.</summary>
    public static async Task<bool> UpdateAsync(SqliteConnection connection, SqliteTransaction transaction, Case @case,
        long expectedVersion, CancellationToken cancellationToken)
    {
        await using var statements = new PreparedStatements(connection, transaction);
        return await UpdateAsync(statements, @case, expectedVersion, cancellationToken);
    }

    public static async Task<bool> UpdateAsync(PreparedStatements statements, Case @case, long expectedVersion,
        CancellationToken cancellationToken)
    {
        var command = statements.For(UpdateSql)
            .With("@Version", expectedVersion)
            .WithMutableFields(@case);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public static string ToETag(long version) => version.ToString(CultureInfo.InvariantCulture);

    public static bool TryParseETag(string? etag, out long version) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out version);

    public static Case Read(SqliteDataReader reader, int start = 0)
    {
        var at = start + 1 + TargetColumns.Count;
        var caseRoom = reader.GetNullableString(at + 7);
        var target = reader.GetTarget(start + 1);
        var key = reader.GetString(at + 12);
        return new Case(
            CaseId.Parse(reader.GetString(start)),
            target,
            Enum.Parse<CaseState>(reader.GetString(at)),
            reader.GetInt32(at + 1),
            CategoryColumn.ToCategory(reader.GetNullableString(at + 2)),
            reader.GetInt32(at + 3),
            reader.GetInt32(at + 4),
            UtcTicks.ToTime(reader.GetInt64(at + 5)),
            UtcTicks.ToTime(reader.GetInt64(at + 6)),
            caseRoom is null ? null : RoomId.Parse(caseRoom),
            ToETag(reader.GetInt64(at + 8)),
            reader.GetNullableString(at + 9) is { } summary ? EventId.Parse(summary) : null,
            reader.GetInt32(at + 10),
            reader.GetNullableInt64(at + 11) is { } due ? UtcTicks.ToTime(due) : null,
            key == target.DedupeKey ? null : key,
            reader.GetNullableString(at + 13) is { } incident ? RoomId.Parse(incident) : null);
    }

    /// <summary>Every case a query selecting <see cref="Columns"/> returns, in its order.</summary>
    public static async Task<List<Case>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var cases = new List<Case>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            cases.Add(Read(reader));
        }
        return cases;
    }

    /// <summary>Column count of <see cref="Columns"/>, for readers that select more after it.</summary>
    public const int Count = 1 + TargetColumns.Count + 14;

    private static SqliteCommand WithMutableFields(this SqliteCommand command, Case @case) => command
        .With("@Id", @case.Id.Value)
        .With("@State", @case.State.ToString())
        .With("@Tier", @case.Tier)
        .With("@Category", CategoryColumn.From(@case.Category))
        .With("@ReporterCount", @case.ReporterCount)
        .With("@ReportCount", @case.ReportCount)
        .With("@UpdatedAt", UtcTicks.From(@case.UpdatedAt))
        .With("@CaseRoom", @case.CaseRoom?.Value)
        .With("@SummaryEvent", @case.SummaryEvent?.Value)
        .With("@SummaryRevision", @case.SummaryRevision)
        .With("@NextDueAt", @case.NextDueAt is { } due ? UtcTicks.From(due) : (long?)null)
        .With("@Incident", @case.Incident?.Value);
}
