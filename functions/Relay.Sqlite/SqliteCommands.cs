using Microsoft.Data.Sqlite;

namespace Relay.Sqlite;

/// <summary>Small helpers so each statement reads as its SQL plus its parameters.</summary>
internal static class SqliteCommands
{
    public static SqliteCommand Command(this SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static async Task<int> ExecuteAsync(this SqliteConnection connection, SqliteTransaction? transaction,
        string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, sql);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<long> Int64Async(this SqliteConnection connection, SqliteTransaction? transaction,
        string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, sql);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task<int> ExecuteAndDisposeAsync(this SqliteCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Binds <c>@t0, @t1, ...</c> and returns the list for an <c>IN (...)</c> clause.</summary>
    public static string WithList(this SqliteCommand command, string prefix, IEnumerable<string> values)
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = $"@{prefix}{names.Count}";
            command.Parameters.AddWithValue(name, value);
            names.Add(name);
        }
        return string.Join(", ", names);
    }

    public static string? GetNullableString(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? GetNullableInt64(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    /// <summary>UNIQUE or PRIMARY KEY violations: another writer got there first.</summary>
    public static bool IsUniqueViolation(this SqliteException exception) =>
        exception.SqliteErrorCode == 19 && exception.SqliteExtendedErrorCode is 2067 or 1555;
}
