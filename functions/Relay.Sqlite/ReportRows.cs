using Microsoft.Data.Sqlite;
using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Sqlite;

/// <summary>The Reports table: one row per report, written once, never updated.</summary>
internal static class ReportRows
{
    public const string Columns =
        "Id, CaseId, " + TargetColumns.Names + ", ReporterHash, Reporter, Category, Reason, Source, ReceivedAt, IdempotencyKey, ContactEmail";

    private const string InsertSql = $"""
        INSERT INTO Reports ({Columns})
        VALUES (@Id, @CaseId, {TargetColumns.Parameters}, @ReporterHash, @Reporter, @Category, @Reason,
                @Source, @ReceivedAt, @IdempotencyKey, @ContactEmail)
        """;

    public static async Task InsertAsync(PreparedStatements statements, Report report, CancellationToken cancellationToken)
    {
        var command = statements.For(InsertSql)
            .With("@Id", report.Id)
            .With("@CaseId", report.CaseId.Value)
            .WithTarget(report.Target)
            .With("@ReporterHash", report.ReporterHash)
            .With("@Reporter", report.Reporter?.Value)
            .With("@Category", CategoryColumn.From(report.Category))
            .With("@Reason", report.Reason)
            .With("@Source", (int)report.Source)
            .With("@ReceivedAt", UtcTicks.From(report.ReceivedAt))
            .With("@IdempotencyKey", report.IdempotencyKey)
            .With("@ContactEmail", report.ContactEmail);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static Report Read(SqliteDataReader reader)
    {
        const int after = 2 + TargetColumns.Count;
        var reporter = reader.GetNullableString(after + 1);
        return new Report(
            reader.GetString(0),
            CaseId.Parse(reader.GetString(1)),
            reader.GetTarget(2),
            reader.GetString(after),
            reporter is null ? null : UserId.Parse(reporter),
            CategoryColumn.ToCategory(reader.GetNullableString(after + 2)),
            reader.GetNullableString(after + 3),
            (ReportSource)reader.GetInt32(after + 4),
            UtcTicks.ToTime(reader.GetInt64(after + 5)),
            reader.GetNullableString(after + 6),
            reader.GetNullableString(after + 7));
    }
}
