using Azure.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Relay.Azure.ServiceBus;
using Relay.Azure.Tables;
using Relay.Core.Cases;
using Relay.Core.Escalation;
using Relay.Core.Retention;
using Relay.Core.Statistics;
using Relay.Host.Configuration;
using Relay.Sqlite;

namespace Relay.Host.Composition;

/// <summary>
/// The store for CLI commands: the same configuration sources as <c>relay serve</c> (appsettings.json, environment, command
/// line) choose the same store, the SQLite file or (when the Azure settings are given) Table Storage, but only the store
/// settings are needed.
/// </summary>
public sealed class StoreAccess : IAsyncDisposable
{
    private readonly IDisposable? _owned;
    private readonly IAsyncDisposable? _ownedAsync;

    private StoreAccess(ICaseStore cases, ICaseWriteStore writes, IEvidenceStore evidence, ICaseRetentionStore retention,
        ICaseActivityStore activity, IDisposable? owned, IAsyncDisposable? ownedAsync = null)
    {
        _ownedAsync = ownedAsync;
        Cases = cases;
        Writes = writes;
        Evidence = evidence;
        Retention = retention;
        Activity = activity;
        _owned = owned;
    }

    public ICaseStore Cases { get; }

    public ICaseWriteStore Writes { get; }

    public IEvidenceStore Evidence { get; }

    public ICaseRetentionStore Retention { get; }

    public ICaseActivityStore Activity { get; }

    /// <summary>Null, after telling the operator why on stderr, when there is no store to open.</summary>
    public static async Task<StoreAccess?> OpenOrExplainAsync(string[] args, CancellationToken cancellationToken)
    {
        try
        {
            return await OpenAsync(args, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return null;
        }
    }

    public static Task<StoreAccess> OpenAsync(string[] args, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        return AzureRuntime.IsSelected(configuration)
            ? OpenTableStorageAsync(configuration, cancellationToken)
            : OpenSqliteAsync(configuration, cancellationToken);
    }

    private static async Task<StoreAccess> OpenSqliteAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var path = configuration[$"{RelayOptions.Section}:Data:Path"] ?? new DataOptions().Path;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"No Relay store at '{Path.GetFullPath(path)}'. Run 'relay serve' first, or set Relay__Data__Path.");
        }
        var database = new SqliteDatabase(path);
        await database.MigrateAsync(cancellationToken);
        var store = new SqliteReportStore(database, TimeProvider.System);
        var lifecycle = new SqliteCaseLifecycleStore(database);
        return new StoreAccess(store, store, new SqliteEscalationStore(database), lifecycle, lifecycle, database);
    }

    /// <summary>The settings are checked as <c>relay serve</c> checks them; the Service Bus queue is only used by <c>escalate</c>.</summary>
    private static async Task<StoreAccess> OpenTableStorageAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var serviceBus = configuration.GetSection(ServiceBusOptions.Section).Get<ServiceBusOptions>() ?? new ServiceBusOptions();
        var checkedSettings = new AzureOptionsValidator(Options.Create(serviceBus)).Validate(null, storage);
        if (checkedSettings.Failed)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, checkedSettings.Failures));
        }
        var credential = new DefaultAzureCredential();
        var service = AzureRuntime.CreateTableService(storage, credential);
        var options = new TableStorageOptions { TablePrefix = storage.TablePrefix };
        var client = AzureRuntime.CreateServiceBusClient(serviceBus, credential);
        var queue = new ServiceBusCaseQueue(client);
        var store = new TableStorageReportStore(service, queue, TimeProvider.System, NullLogger<TableStorageReportStore>.Instance, options);
        if (storage.CreateTables)
        {
            await store.CreateTablesAsync(cancellationToken);
        }
        var lifecycle = new TableStorageCaseLifecycleStore(service, options);
        return new StoreAccess(store, store, new TableStorageEscalationStore(service, options), lifecycle, lifecycle, null, client);
    }

    public async ValueTask DisposeAsync()
    {
        _owned?.Dispose();
        if (_ownedAsync is not null)
        {
            await _ownedAsync.DisposeAsync();
        }
    }
}
