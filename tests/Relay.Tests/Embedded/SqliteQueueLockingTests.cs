using System.Diagnostics;
using Relay.Core.Queue;
using Relay.Sqlite;

namespace Relay.Tests.Embedded;

/// <summary>The embedded worker polls an empty queue after every delivery; that poll must not contend with intake's commits.</summary>
public sealed class SqliteQueueLockingTests : IDisposable
{
    private readonly TempDatabaseFile _file = new();

    [Fact]
    public async Task Receiving_from_an_empty_queue_does_not_wait_for_a_writer()
    {
        using var database = await SqliteDatabase.OpenAsync(_file.Path);
        var queue = new SqliteQueue(database, TimeProvider.System);
        await queue.EnqueueAsync(new QueueMessage("later", Topics.ReportReceived, "{}", DateTimeOffset.UtcNow.AddHours(1)));
        await using var writer = await database.OpenConnectionAsync();
        await using var held = writer.BeginTransaction(deferred: false);

        var started = Stopwatch.GetTimestamp();
        var lease = await queue.ReceiveAsync([Topics.ReportReceived]);

        Assert.Null(lease);
        // Taking the write lock would wait out busy_timeout (5 s) behind the open transaction, then fail.
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(2));
    }

    public void Dispose() => _file.Dispose();
}
