using Microsoft.Extensions.Options;
using Relay.Core.Homeserver;
using Relay.Host.Cli;
using Relay.Host.Configuration;

namespace Relay.Host.Appservice;

/// <summary>
/// A second after Relay starts listening, asks the homeserver to ping it and logs the verdict, so a wrong
/// registration shows in the first lines of the log. In the background: readiness never waits for the homeserver.
/// </summary>
public sealed class StartupPing(
    IMatrixBot bot,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    IOptions<RelayOptions> options,
    ILogger<StartupPing> logger) : BackgroundService
{
    /// <summary>
    /// The Functions host sends its first requests the moment the port opens. The ping is a homeserver round trip
    /// that calls back into Relay, with code running for the first time on both legs, and all it yields is a log
    /// line, so it waits rather than take the cores from those requests (about 15 ms of a cold start, measured).
    /// </summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Appservice.PingOnStart)
        {
            return;
        }
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
                await Task.Delay(Delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        try
        {
            var (code, message) = await PingCommand.RunAsync(bot, options.Value.Appservice.Id, stoppingToken);
            if (code == 0)
            {
                logger.LogInformation("Appservice ping: {Outcome}", message);
            }
            else
            {
                logger.LogWarning("Appservice ping failed: {Outcome}", message);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Appservice ping could not run: {ErrorType}", e.GetType().Name);
        }
    }
}
