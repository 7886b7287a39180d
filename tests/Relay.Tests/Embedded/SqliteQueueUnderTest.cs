using Relay.Core.Queue;
using Relay.Sqlite;
using Relay.Tests.Contracts;

namespace Relay.Tests.Embedded;

internal sealed class SqliteQueueUnderTest(SqliteDatabase database, SqliteQueue queue, TimeProvider time) : IQueueUnderTest
{
    public ICaseQueue Sender => queue;

    public static async Task<IQueueUnderTest> OpenAsync(string path, TimeProvider time, SqliteQueueOptions options)
    {
        var database = await SqliteDatabase.OpenAsync(path);
        return new SqliteQueueUnderTest(database, new SqliteQueue(database, time, options), time);
    }

    public Task<QueueLease?> ReceiveAsync(params string[] topics) => queue.ReceiveAsync(topics);

    public Task<bool> CompleteAsync(QueueLease lease) => queue.CompleteAsync(lease);

    public Task<bool> AbandonAsync(QueueLease lease, string error) => queue.AbandonAsync(lease, error);

    public Task<bool> DeadLetterAsync(QueueLease lease, string reason) => queue.DeadLetterAsync(lease, reason);

    public Task<DateTimeOffset?> NextVisibleAtAsync(params string[] topics) => queue.NextVisibleAtAsync(topics);

    public Task<IReadOnlyList<DeadLetter>> DeadLettersAsync() => queue.ListDeadLettersAsync();

    public Task<int> CountAsync() => queue.CountAsync();

    public async Task<IQueueUnderTest> ReopenAsync()
    {
        await DisposeAsync();
        return await OpenAsync(database.Path, time, queue.Options);
    }

    public ValueTask DisposeAsync()
    {
        database.Dispose();
        return ValueTask.CompletedTask;
    }
}
