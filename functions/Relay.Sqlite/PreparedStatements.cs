using Microsoft.Data.Sqlite;

namespace Relay.Sqlite;

/// <summary>
/// Commands kept one per SQL text, for one transaction or, on a <see cref="KeptConnection"/>, for as long as the
/// connection is kept: SQLite prepares each statement once, and every later use re-binds it instead of parsing the SQL again.
/// </summary>
internal sealed class PreparedStatements(SqliteConnection connection, SqliteTransaction? transaction) : IAsyncDisposable, IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;

    /// <summary>The transaction the next <see cref="For"/> runs in; statements kept across transactions (<see cref="KeptConnection"/>) move with it.</summary>
    public SqliteTransaction? Transaction { get; set; } = transaction;

    /// <summary>The command for <paramref name="sql"/> with no parameters bound; owned by this object, do not dispose.</summary>
    public SqliteCommand For(string sql)
    {
        if (_commands.TryGetValue(sql, out var command))
        {
            command.Parameters.Clear();
            command.Transaction = Transaction;
            return command;
        }
        command = connection.Command(Transaction, sql);
        _commands.Add(sql, command);
        return command;
    }

    /// <summary>A command's disposal is synchronous (it finalizes the native statement), so this is <see cref="Dispose"/>.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
    }
}
