namespace Relay.Sqlite;

/// <summary>
/// Marks work that a restart would do again: the embedded queue's deliveries, whose message stays in the
/// queue until its completion commits. Inside such a scope SQLite commits run with <c>synchronous=NORMAL</c>
/// (in WAL mode: durable against a crash of Relay, synced at the next checkpoint or the next fully synced
/// commit), and so skip the fsync that would otherwise sit between a report's 200 and its case room.
/// </summary>
/// <remarks>
/// Why that is safe: the WAL is replayed as a prefix, so a power cut can only lose the latest commits, and if it
/// loses a handler's writes it loses the later completion of that message too, which is then delivered again
/// (every handler is idempotent). Anything answered to someone outside (a report's 200, an acknowledged
/// appservice transaction, a dashboard action) runs outside these scopes, or is a group commit, synced by
/// <see cref="SqliteDatabase.SyncWal"/>, and is fsync'd before the answer; its fsync also makes every earlier
/// commit in the WAL durable.
/// </remarks>
public static class RedoableWork
{
    private static readonly AsyncLocal<bool> Active = new();

    public static bool IsActive => Active.Value;

    /// <summary>Until disposed, connections opened by this flow (and the tasks it starts) skip the per-commit fsync.</summary>
    public static Scope Begin()
    {
        var outer = Active.Value;
        Active.Value = true;
        return new Scope(outer);
    }

    public readonly struct Scope(bool outer) : IDisposable
    {
        public void Dispose() => Active.Value = outer;
    }
}
