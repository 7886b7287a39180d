namespace Relay.Host.Configuration;

/// <summary>
/// <c>Relay:Storage</c>: Table Storage for the Azure runtime. Setting either the URI or the connection
/// string (with <c>Relay:ServiceBus</c>) selects the Azure runtime instead of the embedded one.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Relay:Storage";

    /// <summary>https://{account}.table.core.windows.net, reached with DefaultAzureCredential (managed identity; AZURE_CLIENT_ID picks a user-assigned one).</summary>
    public string? TableServiceUri { get; set; }

    /// <summary>A storage connection string, for Azurite or an account with shared keys. Not used in Azure.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Prepended to each table name, so several deployments can share an account.</summary>
    public string TablePrefix { get; set; } = "";

    /// <summary>Create missing tables at start (Azurite, a fresh account). Bicep creates them, so Azure turns this off.</summary>
    public bool CreateTables { get; set; } = true;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(TableServiceUri) || !string.IsNullOrWhiteSpace(ConnectionString);
}

/// <summary><c>Relay:ServiceBus</c>: the namespace the Azure runtime queues work in.</summary>
public sealed class ServiceBusOptions
{
    public const string Section = "Relay:ServiceBus";

    /// <summary>e.g. relay-abc123.servicebus.windows.net; sent to over AMQP with DefaultAzureCredential (managed identity).</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>
    /// A Service Bus connection string, for the local emulator (<c>UseDevelopmentEmulator=true</c>) and tests only:
    /// it carries a shared key, which a deployment in Azure does not need (Bicep never sets this).
    /// </summary>
    public string? ConnectionString { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(FullyQualifiedNamespace) || !string.IsNullOrWhiteSpace(ConnectionString);
}
