using Microsoft.Data.Sqlite;
using Relay.Core.Cases;

namespace Relay.Sqlite;

/// <summary>The Audit table: append-only (triggers refuse updates and deletes), ordered by insertion.</summary>
internal static class AuditRows
{
    public const string Columns = "CaseId, At, Actor, Action, Detail";

    private const string InsertSql = $"INSERT INTO Audit ({Columns}) VALUES (@CaseId, @At, @Actor, @Action, @Detail)";

    public static async Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, AuditEntry entry,
        CancellationToken cancellationToken)
    {
        await using var statements = new PreparedStatements(connection, transaction);
        await InsertAsync(statements, entry, cancellationToken);
    }

    public static async Task InsertAsync(PreparedStatements statements, AuditEntry entry, CancellationToken cancellationToken)
    {
        var command = statements.For(InsertSql)
            .With("@CaseId", entry.CaseId.Value)
            .With("@At", UtcTicks.From(entry.At))
            .With("@Actor", entry.Actor)
            .With("@Action", entry.Action)
            .With("@Detail", entry.Detail);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static AuditEntry Read(SqliteDataReader reader) => new(
        CaseId.Parse(reader.GetString(0)),
        UtcTicks.ToTime(reader.GetInt64(1)),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetNullableString(4));
}
