namespace Relay.Sqlite;

public sealed record EmbeddedQueueWorkerOptions
{
    /// <summary>
    /// Longest sleep between looks at the queue. Enqueues in this process wake the worker at once; the
    /// poll catches messages written by another process on the same file (the CLI, say).
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
}
