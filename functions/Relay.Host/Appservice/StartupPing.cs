using Microsoft.Extensions.Options;
using Relay.Core.Homeserver;
using Relay.Host.Cli;
using Relay.Host.Configuration;

namespace Relay.Host.Appservice;

/// <summary>
/// Once Relay is listening, asks the homeserver to ping it and logs the verdict, so a wrong registration shows
/// in the first lines of the log. In the background: readiness never waits for the homeserver.
/// </summary>
public sealed class StartupPing(
    IMatrixBot bot,
    IHostApplicationLifetime lifetime,
    IOptions<RelayOptions> options,
    ILogger<StartupPing> logger) : BackgroundService
{
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
