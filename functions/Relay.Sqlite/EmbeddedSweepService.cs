using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Relay.Core.Sweep;

namespace Relay.Sqlite;

/// <summary>
/// The embedded runtime's sweep: every <see cref="Interval"/> (on the injected clock) it runs every <see cref="ISweepPart"/>,
/// as the Azure <c>Sweep</c> timer function does, so a lost deadline or expired evidence is caught without a cloud timer.
/// </summary>
public sealed class EmbeddedSweepService(SweepRunner runner, TimeProvider time, ILogger<EmbeddedSweepService> logger, EmbeddedSweepOptions options)
    : BackgroundService
{
    private PeriodicTimer? _timer;

    public TimeSpan Interval => options.Interval;

    /// <summary>The timer starts with the host (ExecuteAsync runs later, on a pool thread), so the first sweep is one interval after start.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = new PeriodicTimer(options.Interval, time);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timer = _timer ?? throw new InvalidOperationException("Start the service before running it.");
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One run of every part; failures are logged by part and type (messages may hold case data) and retried next tick.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var handled = 0;
        foreach (var result in await runner.RunAsync(cancellationToken))
        {
            handled += result.Handled;
            if (result.Error is { } error)
            {
                logger.LogWarning("Sweep part {Part} failed with {ErrorType}; the next sweep retries", result.Part, error.GetType().Name);
            }
            else if (result.Handled > 0)
            {
                logger.LogInformation("Sweep part {Part} handled {Count} item(s)", result.Part, result.Handled);
            }
        }
        return handled;
    }
}

/// <summary>How often the embedded sweep runs.</summary>
public sealed record EmbeddedSweepOptions(TimeSpan Interval);
