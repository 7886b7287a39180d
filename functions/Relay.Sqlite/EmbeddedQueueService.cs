using Microsoft.Extensions.Hosting;

namespace Relay.Sqlite;

/// <summary>
/// Runs the <see cref="EmbeddedQueueWorker"/> for the lifetime of the embedded host. The embedded runtime is one
/// process per file, so it first takes back the deliveries a killed earlier run left leased.
/// </summary>
public sealed class EmbeddedQueueService(EmbeddedQueueWorker worker) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await worker.RecoverAsync(stoppingToken);
        await worker.RunAsync(stoppingToken);
    }
}
