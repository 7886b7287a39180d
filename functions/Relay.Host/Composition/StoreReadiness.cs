using Relay.Core.Errors;
using Relay.Host.Http;

namespace Relay.Host.Composition;

/// <summary>
/// Whether the store is prepared: the SQLite file migrated, or the Azure tables created. <c>relay serve</c> listens
/// while that runs, so the two overlap on start-up (cold start is the figure a consumption plan pays for); every
/// request and every worker that needs the store waits here first.
/// </summary>
public sealed class StoreReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _heldChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;

    /// <summary>Requests that have had to wait for the store since start: how much a slow preparation cost.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Completes when the store is prepared; faults with the reason it could not be.</summary>
    public Task Ready => _ready.Task;

    public async Task PrepareAsync(Func<Task> prepare)
    {
        try
        {
            await prepare();
        }
        catch (Exception e)
        {
            _ready.TrySetException(e);
            throw;
        }
        _ready.TrySetResult();
    }

    /// <summary>Completes once <paramref name="count"/> requests have been held: an event to wait for, not a time.</summary>
    public async Task WaitForHeldAsync(int count)
    {
        while (true)
        {
            // Read before the count, so a request held in between completes the task waited on.
            var changed = Volatile.Read(ref _heldChanged).Task;
            if (Held >= count)
            {
                return;
            }
            await changed;
        }
    }

    internal void CountHeld()
    {
        Interlocked.Increment(ref _held);
        Interlocked.Exchange(ref _heldChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}

public static class StoreReadinessPipeline
{
    /// <summary>
    /// Holds each request until the store is prepared. If it cannot be, Relay is stopping, and the request gets the
    /// same 503 as any store failure: nothing was recorded.
    /// </summary>
    public static IApplicationBuilder UseStoreReadiness(this IApplicationBuilder app)
    {
        var readiness = app.ApplicationServices.GetRequiredService<StoreReadiness>();
        return app.Use(async (context, next) =>
        {
            var ready = readiness.Ready;
            if (!ready.IsCompletedSuccessfully)
            {
                readiness.CountHeld();
                try
                {
                    await ready.WaitAsync(context.RequestAborted);
                }
                catch (Exception) when (ready.IsFaulted)
                {
                    await MatrixResults.Error(MatrixError.StoreUnavailable()).ExecuteAsync(context);
                    return;
                }
            }
            await next(context);
        });
    }
}
