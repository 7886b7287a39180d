using Microsoft.Extensions.Hosting;

namespace Relay.Sqlite;

/// <summary>Runs the <see cref="EmbeddedQueueWorker"/> for the lifetime of the embedded host.</summary>
public sealed class EmbeddedQueueService(EmbeddedQueueWorker worker) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => worker.RunAsync(stoppingToken);
}
