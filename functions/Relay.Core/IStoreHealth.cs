namespace Relay.Core;

/// <summary>What <c>/healthz</c> asks of the configured store and queue.</summary>
public interface IStoreHealth
{
    string StoreName { get; }

    string QueueName { get; }

    Task<bool> IsReachableAsync(CancellationToken cancellationToken = default);
}
