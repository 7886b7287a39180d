using Azure.Core;
using Azure.Messaging.ServiceBus;

namespace Relay.Azure.ServiceBus;

/// <summary>
/// The one <see cref="ServiceBusClient"/> of the process. Retries are set on purpose rather than left to the
/// SDK's defaults: 5 exponential retries from 0.5 s up to 10 s (about 20 s in all) ride out a throttle or a
/// broker restart, and each try gets 30 s, while a send still fails well within the HTTP request or the
/// 5-minute function that waits for it; what does fail stays in the outbox for the sweep.
/// </summary>
public static class ServiceBusClients
{
    public static ServiceBusClientOptions DefaultOptions() => new()
    {
        TransportType = ServiceBusTransportType.AmqpTcp,
        RetryOptions = new ServiceBusRetryOptions
        {
            Mode = ServiceBusRetryMode.Exponential,
            MaxRetries = 5,
            Delay = TimeSpan.FromMilliseconds(500),
            MaxDelay = TimeSpan.FromSeconds(10),
            TryTimeout = TimeSpan.FromSeconds(30),
        },
    };

    /// <summary>Azure: the namespace with an Entra ID credential (managed identity), TLS on 5671.</summary>
    public static ServiceBusClient Create(string fullyQualifiedNamespace, TokenCredential credential, ServiceBusClientOptions? options = null) =>
        new(fullyQualifiedNamespace.Trim().TrimEnd('/'), credential, options ?? DefaultOptions());

    /// <summary>Tests and the local emulator only (<c>UseDevelopmentEmulator=true</c> speaks plain AMQP).</summary>
    public static ServiceBusClient Create(string connectionString, ServiceBusClientOptions? options = null) =>
        new(connectionString, options ?? DefaultOptions());
}
