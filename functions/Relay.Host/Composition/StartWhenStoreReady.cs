namespace Relay.Host.Composition;

/// <summary>
/// Starts the worker <typeparamref name="TService"/> once the store is prepared (<see cref="StoreReadiness"/>), on
/// the thread pool. A worker that reads the store must not begin before, and building it and everything it depends
/// on there, rather than in the host's start, keeps that work off the path to the first response.
/// </summary>
public sealed class StartWhenStoreReady<TService>(
    StoreReadiness readiness,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    ILogger<StartWhenStoreReady<TService>> logger) : IHostedService, IDisposable
    where TService : class, IHostedService
{
    private readonly CancellationTokenSource _stopping = new();

    private Task _starting = Task.CompletedTask;

    private TService? _service;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _starting = Task.Run(() => StartWhenReadyAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _starting.WaitAsync(cancellationToken);
        if (_service is { } service)
        {
            await service.StopAsync(cancellationToken);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task StartWhenReadyAsync(CancellationToken stopping)
    {
        try
        {
            await readiness.Ready.WaitAsync(stopping);
        }
        catch (Exception)
        {
            // Stopping, or the store could not be prepared, which relay serve reports as it stops.
            return;
        }
        try
        {
            _service = services.GetRequiredService<TService>();
            await _service.StartAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Relay stopped while the worker was starting.
        }
        catch (Exception e)
        {
            // As the host treats a worker that fails to start: a Relay without its queue worker must not run on quietly.
            logger.LogCritical(e, "{Worker} could not start; Relay is stopping.", typeof(TService).Name);
            lifetime.StopApplication();
        }
    }
}
