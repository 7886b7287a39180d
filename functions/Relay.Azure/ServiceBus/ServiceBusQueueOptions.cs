using Azure.Core;

namespace Relay.Azure.ServiceBus;

/// <summary>
/// Pipeline options of the Service Bus sender. Azure.Core's retry policy already retries 408, 429
/// (honouring Retry-After), 500, 502, 503 and 504 and transport failures with exponential backoff.
/// </summary>
public sealed class ServiceBusQueueOptions : ClientOptions
{
    public const string Scope = "https://servicebus.azure.net/.default";

    public ServiceBusQueueOptions()
    {
        Retry.MaxRetries = 5;
        Retry.Mode = RetryMode.Exponential;
        Retry.Delay = TimeSpan.FromMilliseconds(500);
        Retry.MaxDelay = TimeSpan.FromSeconds(10);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
    }
}
