using Microsoft.Data.Sqlite;
using Relay.Core.Cases;

namespace Relay.Sqlite;

/// <summary>The Audit table: append-only (triggers refuse updates and deletes), ordered by insertion.</summary>
internal static class AuditRows
{
    public const string Columns = "CaseId, At, Actor, Action, Detail";

    public static async Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, AuditEntry entry,
        CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, $"""
            INSERT INTO Audit ({Columns}) VALUES (@CaseId, @At, @Actor, @Action, @Detail)
            """)
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
