using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Options;
using Relay.Azure.ServiceBus;
using Relay.Azure.Tables;
using Relay.Core;
using Relay.Core.Appservice;
using Relay.Core.Cases;
using Relay.Core.Dashboard;
using Relay.Core.Escalation;
using Relay.Core.Queue;
using Relay.Core.Reports;
using Relay.Core.Retention;
using Relay.Core.Statistics;
using Relay.Core.Sweep;
using Relay.Host.Configuration;
using Relay.Host.Functions;

namespace Relay.Host.Composition;

/// <summary>
/// The Azure runtime: Table Storage holds reports, cases and preserved evidence, Service Bus (through the SDK, over AMQP) carries the queue,
/// and the Functions host runs the queue-triggered handlers by posting to <c>/{FunctionName}</c>
/// (<see cref="FunctionTriggerEndpoints"/>). Selected when any Azure storage or Service Bus setting is
/// present; then all of them are validated at start.
/// </summary>
public static class AzureRuntime
{
    public static bool IsSelected(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.TableServiceUri)}"])
        || !string.IsNullOrWhiteSpace(configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.ConnectionString)}"])
        || !string.IsNullOrWhiteSpace(configuration[$"{ServiceBusOptions.Section}:{nameof(ServiceBusOptions.FullyQualifiedNamespace)}"])
        || !string.IsNullOrWhiteSpace(configuration[$"{ServiceBusOptions.Section}:{nameof(ServiceBusOptions.ConnectionString)}"]);

    public static IServiceCollection AddAzureRuntime(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.AddOptions<ServiceBusOptions>().BindConfiguration(ServiceBusOptions.Section);
        services.AddSingleton<IValidateOptions<StorageOptions>, AzureOptionsValidator>();
        // Managed identity in Azure (AZURE_CLIENT_ID names the user-assigned one), developer sign-in locally.
        services.AddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.AddSingleton(sp => CreateTableService(sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetRequiredService<TokenCredential>()));
        // One client, so one AMQP connection and token per process; the container disposes it at shutdown.
        services.AddSingleton(sp => CreateServiceBusClient(sp.GetRequiredService<IOptions<ServiceBusOptions>>().Value,
            sp.GetRequiredService<TokenCredential>()));
        services.AddSingleton(sp => new ServiceBusCaseQueue(sp.GetRequiredService<ServiceBusClient>()));
        services.AddSingleton<ICaseQueue>(sp => sp.GetRequiredService<ServiceBusCaseQueue>());
        services.AddSingleton(sp => new TableStorageReportStore(
            sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<ICaseQueue>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TableStorageReportStore>>(),
            new Relay.Azure.Tables.TableStorageOptions { TablePrefix = sp.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix }));
        services.AddSingleton<IReportStore>(sp => sp.GetRequiredService<TableStorageReportStore>());
        services.AddSingleton<ICaseStore>(sp => sp.GetRequiredService<TableStorageReportStore>());
        services.AddSingleton<ICaseWriteStore>(sp => sp.GetRequiredService<TableStorageReportStore>());
        services.AddSingleton<IStoreHealth>(sp => sp.GetRequiredService<TableStorageReportStore>());
        services.AddSingleton(sp => new TableStorageEscalationStore(sp.GetRequiredService<TableServiceClient>(),
            new Relay.Azure.Tables.TableStorageOptions { TablePrefix = sp.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix }));
        services.AddSingleton<IEscalationStore>(sp => sp.GetRequiredService<TableStorageEscalationStore>());
        services.AddSingleton<IEvidenceStore>(sp => sp.GetRequiredService<TableStorageEscalationStore>());
        services.AddSingleton(sp => new TableStorageCaseLifecycleStore(sp.GetRequiredService<TableServiceClient>(),
            new Relay.Azure.Tables.TableStorageOptions { TablePrefix = sp.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix }));
        services.AddSingleton<ICaseRetentionStore>(sp => sp.GetRequiredService<TableStorageCaseLifecycleStore>());
        services.AddSingleton<ICaseActivityStore>(sp => sp.GetRequiredService<TableStorageCaseLifecycleStore>());
        services.AddSingleton(sp => new TableStorageAppserviceStore(sp.GetRequiredService<TableServiceClient>(),
            sp.GetRequiredService<IOptions<RelayOptions>>().Value.Appservice.Id,
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix));
        services.AddSingleton<ITransactionLog>(sp => sp.GetRequiredService<TableStorageAppserviceStore>());
        services.AddSingleton<IProtectedRoomStore>(sp => sp.GetRequiredService<TableStorageAppserviceStore>());
        services.AddSingleton<IDirectRoomStore>(sp => sp.GetRequiredService<TableStorageAppserviceStore>());
        services.AddSingleton(sp => new TableStorageDashboardStore(sp.GetRequiredService<TableServiceClient>(),
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix));
        services.AddSingleton<IDashboardAuthStore>(sp => sp.GetRequiredService<TableStorageDashboardStore>());
        services.AddSingleton<ISweepPart>(sp => sp.GetRequiredService<TableStorageReportStore>().Outbox);
        services.AddSingleton<SweepRunner>();
        services.AddSingleton<QueueTriggerDispatcher>();
        return services;
    }

    /// <summary>Validates the Azure settings (throwing <see cref="OptionsValidationException"/>) and creates missing tables.</summary>
    public static async Task InitializeAzureRuntimeAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        if (storage.CreateTables)
        {
            await services.GetRequiredService<TableStorageReportStore>().CreateTablesAsync(cancellationToken);
            await services.GetRequiredService<TableStorageAppserviceStore>().CreateTablesAsync(cancellationToken);
            await services.GetRequiredService<TableStorageDashboardStore>().CreateTableAsync(cancellationToken);
        }
    }

    public static ServiceBusClient CreateServiceBusClient(ServiceBusOptions serviceBus, TokenCredential credential) =>
        string.IsNullOrWhiteSpace(serviceBus.ConnectionString)
            ? ServiceBusClients.Create(serviceBus.FullyQualifiedNamespace!, credential)
            : ServiceBusClients.Create(serviceBus.ConnectionString);

    public static TableServiceClient CreateTableService(StorageOptions storage, TokenCredential credential) =>
        string.IsNullOrWhiteSpace(storage.ConnectionString)
            ? new TableServiceClient(new Uri(storage.TableServiceUri!), credential)
            : new TableServiceClient(storage.ConnectionString);
}
