namespace Relay.Core.Memory;

/// <summary>
/// Counts the work Relay has in flight (HTTP requests, queue deliveries), so that memory can be released once it has
/// all finished. Begin and End are two interlocked operations: cheap enough for every request.
/// </summary>
public sealed class WorkInFlight
{
    private long _inFlight;
    private long _started;
    private TaskCompletionSource? _idleWaiter;

    /// <summary>Work items in flight now.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Work items begun since start; a change means there was activity in between.</summary>
    public long Started => Interlocked.Read(ref _started);

    /// <summary>Counts one work item until the returned scope is disposed.</summary>
    public Scope Begin()
    {
        // Started first: whoever sees the item in flight also sees that something began.
        Interlocked.Increment(ref _started);
        Interlocked.Increment(ref _inFlight);
        return new Scope(this);
    }

    /// <summary>
    /// A task that completes the next time the count drops to zero after this call. One waiter at a time (the idle
    /// trimmer); arming again replaces the previous waiter. Check <see cref="InFlight"/> after arming, not before, so
    /// a drop in between is never missed.
    /// </summary>
    public Task ArmIdle()
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // A full fence: the caller's read of InFlight after this cannot move before the waiter is visible to End.
        Interlocked.Exchange(ref _idleWaiter, waiter);
        return waiter.Task;
    }

    private void End()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && Volatile.Read(ref _idleWaiter) is not null)
        {
            Interlocked.Exchange(ref _idleWaiter, null)?.TrySetResult();
        }
    }

    /// <summary>Ends its work item when disposed (once: use it in a <c>using</c>); a struct, so counting a request allocates nothing.</summary>
    public readonly struct Scope(WorkInFlight owner) : IDisposable
    {
        public void Dispose() => owner?.End();
    }
}
