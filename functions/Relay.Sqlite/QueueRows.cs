using Microsoft.Data.Sqlite;
using Relay.Core.Queue;

namespace Relay.Sqlite;

/// <summary>
/// Inserting into the Queue table, shared by <see cref="SqliteQueue"/> and the report commit's outbox
/// so both have the same duplicate and delay rules.
/// </summary>
internal static class QueueRows
{
    public const string MessageColumns = "Id, Topic, Body, NotBefore";

    /// <summary>A message whose id is still queued is left as it is: ids are deterministic, so it is the same work.</summary>
    private const string InsertSql = $"""
        INSERT INTO Queue ({MessageColumns}, EnqueuedAt, VisibleAt)
        VALUES (@Id, @Topic, @Body, @NotBefore, @Now, max(@Now, coalesce(@NotBefore, @Now)))
        ON CONFLICT (Id) DO NOTHING
        """;

    public static async Task InsertAsync(SqliteConnection connection, SqliteTransaction? transaction, QueueMessage message,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var statements = new PreparedStatements(connection, transaction);
        await InsertAsync(statements, message, now, cancellationToken);
    }

    public static async Task InsertAsync(PreparedStatements statements, QueueMessage message, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(message.Id);
        ArgumentException.ThrowIfNullOrEmpty(message.Topic);
        var notBefore = message.NotBefore is { } due ? UtcTicks.From(due) : (long?)null;
        var command = statements.For(InsertSql)
            .With("@Id", message.Id)
            .With("@Topic", message.Topic)
            .With("@Body", message.Body)
            .With("@NotBefore", notBefore)
            .With("@Now", UtcTicks.From(now));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static QueueMessage ReadMessage(SqliteDataReader reader, int start = 0)
    {
        var notBefore = reader.GetNullableInt64(start + 3);
        return new QueueMessage(reader.GetString(start), reader.GetString(start + 1), reader.GetString(start + 2),
            notBefore is { } ticks ? UtcTicks.ToTime(ticks) : null);
    }
}
