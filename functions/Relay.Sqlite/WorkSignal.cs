namespace Relay.Sqlite;

/// <summary>
/// An auto-reset wake-up for the queue worker. The worker arms it before draining the queue and
/// waits on it after, so an enqueue that lands in between is never missed.
/// </summary>
internal sealed class WorkSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _pending = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A task that completes at the next <see cref="Pulse"/> after this call.</summary>
    public Task Arm()
    {
        lock (_gate)
        {
            if (_pending.Task.IsCompleted)
            {
                _pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            return _pending.Task;
        }
    }

    public void Pulse()
    {
        lock (_gate)
        {
            _pending.TrySetResult();
        }
    }
}
