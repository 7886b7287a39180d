using Relay.Core;
using Relay.Core.Cases;
using Relay.Core.Queue;
using Relay.Core.Reports;
using Relay.Sqlite;
using Relay.Tests.Contracts;

namespace Relay.Tests.Embedded;

internal sealed class SqliteStoreUnderTest(SqliteDatabase database, TimeProvider time) : IStoreUnderTest
{
    private readonly SqliteReportStore _store = new(database, time);

    public IReportStore Reports => _store;

    public ICaseStore Cases => _store;

    public IStoreHealth Health => _store;

    public static async Task<IStoreUnderTest> OpenAsync(string path, TimeProvider time) =>
        new SqliteStoreUnderTest(await SqliteDatabase.OpenAsync(path), time);

    public async Task<IReadOnlyList<QueueMessage>> QueuedAsync()
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, Topic, Body, NotBefore FROM Queue ORDER BY Seq";
        await using var reader = await command.ExecuteReaderAsync();
        var messages = new List<QueueMessage>();
        while (await reader.ReadAsync())
        {
            messages.Add(new QueueMessage(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero)));
        }
        return messages;
    }

    public async Task<IStoreUnderTest> ReopenAsync()
    {
        await DisposeAsync();
        return await OpenAsync(database.Path, time);
    }

    public ValueTask DisposeAsync()
    {
        database.Dispose();
        return ValueTask.CompletedTask;
    }
}
