using Microsoft.Extensions.Options;
using Relay.Core;
using Relay.Core.Appservice;
using Relay.Core.Cases;
using Relay.Core.Dashboard;
using Relay.Core.Queue;
using Relay.Core.Reports;
using Relay.Core.Retention;
using Relay.Core.Statistics;
using Relay.Core.Escalation;
using Relay.Core.Memory;
using Relay.Core.Sweep;
using Relay.Host.Configuration;
using Relay.Host.Escalation;
using Relay.Sqlite;

namespace Relay.Host.Composition;

/// <summary>
/// The default runtime: one SQLite file holds the store and the durable queue, and the queue-triggered
/// handlers run in-process. Nothing to provision.
/// </summary>
public static class EmbeddedRuntime
{
    public static IServiceCollection AddEmbeddedRuntime(this IServiceCollection services)
    {
        services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<RelayOptions>>().Value.Data.Path));
        services.AddSingleton<IIdleMemoryRelease>(sp => sp.GetRequiredService<SqliteDatabase>());
        services.AddSingleton<SqliteReportStore>();
        services.AddSingleton<IReportStore>(sp => sp.GetRequiredService<SqliteReportStore>());
        services.AddSingleton<ICaseStore>(sp => sp.GetRequiredService<SqliteReportStore>());
        services.AddSingleton<ICaseWriteStore>(sp => sp.GetRequiredService<SqliteReportStore>());
        services.AddSingleton<IStoreHealth>(sp => sp.GetRequiredService<SqliteReportStore>());
        services.AddSingleton(sp => new SqliteAppserviceStore(sp.GetRequiredService<SqliteDatabase>(),
            sp.GetRequiredService<IOptions<RelayOptions>>().Value.Appservice.Id));
        services.AddSingleton<ITransactionLog>(sp => sp.GetRequiredService<SqliteAppserviceStore>());
        services.AddSingleton<IProtectedRoomStore>(sp => sp.GetRequiredService<SqliteAppserviceStore>());
        services.AddSingleton<IDirectRoomStore>(sp => sp.GetRequiredService<SqliteAppserviceStore>());
        services.AddSingleton(sp => new SqliteQueue(sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<TimeProvider>(),
            new SqliteQueueOptions { MaxDeliveryCount = sp.GetRequiredService<IOptions<RelayOptions>>().Value.Queue.MaxDeliveryCount }));
        services.AddSingleton<ICaseQueue>(sp => sp.GetRequiredService<SqliteQueue>());
        services.AddSingleton<IDashboardAuthStore>(sp => new SqliteDashboardStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton(sp => new EmbeddedQueueWorker(sp.GetRequiredService<SqliteQueue>(),
            sp.GetServices<IQueueHandler>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<EmbeddedQueueWorker>>(), work: sp.GetRequiredService<WorkInFlight>()));
        services.AddSingleton<EmbeddedQueueService>();
        services.AddHostedService<StartWhenStoreReady<EmbeddedQueueService>>();
        services.AddSingleton<SqliteEscalationStore>();
        services.AddSingleton<IEscalationStore>(sp => sp.GetRequiredService<SqliteEscalationStore>());
        services.AddSingleton<IEvidenceStore>(sp => sp.GetRequiredService<SqliteEscalationStore>());
        services.AddSingleton<SqliteCaseLifecycleStore>();
        services.AddSingleton<ICaseRetentionStore>(sp => sp.GetRequiredService<SqliteCaseLifecycleStore>());
        services.AddSingleton<ICaseActivityStore>(sp => sp.GetRequiredService<SqliteCaseLifecycleStore>());
        services.AddSingleton(sp => new EmbeddedSweepOptions(
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<EscalationOptions>>().Value.SweepIntervalSeconds)));
        services.AddSingleton<EmbeddedSweepService>();
        services.AddHostedService<StartWhenStoreReady<EmbeddedSweepService>>();
        return services;
    }

    public static Task InitializeEmbeddedRuntimeAsync(this IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<SqliteDatabase>().MigrateAsync(cancellationToken);
}
