using Microsoft.Data.Sqlite;

namespace Relay.Reliability.Support;

/// <summary>Row counts of every table Relay writes, read from the SQLite file on a connection of its own.</summary>
public sealed record StoreSnapshot(IReadOnlyDictionary<string, long> Counts)
{
    public static readonly string[] Tables =
        ["Cases", "Reports", "Audit", "Queue", "DeadLetters", "Transactions", "ProtectedRooms", "DirectRooms", "CaseFollowers", "CaseIndex"];

    public long this[string table] => Counts[table];

    public static async Task<StoreSnapshot> TakeAsync(string path)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        await connection.OpenAsync();
        foreach (var table in Tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM {table}";
            counts[table] = (long)(await command.ExecuteScalarAsync())!;
        }
        return new StoreSnapshot(counts);
    }

    /// <summary>Tables whose count differs, except those in <paramref name="allowed"/>.</summary>
    public IReadOnlyList<string> ChangedSince(StoreSnapshot before, params string[] allowed) =>
        [.. Tables.Where(t => !allowed.Contains(t) && Counts[t] != before.Counts[t]).Select(t => $"{t} {before.Counts[t]}->{Counts[t]}")];

    /// <summary>One SQL scalar, e.g. a count with a condition.</summary>
    public static async Task<long> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync() is long value ? value : 0;
    }
}
