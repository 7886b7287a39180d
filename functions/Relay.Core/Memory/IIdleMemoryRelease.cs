namespace Relay.Core.Memory;

/// <summary>
/// An adapter that holds memory it can give back when Relay is idle (pooled connections and their page caches), at the
/// price of rebuilding it on the next request. Called only after all work finished; it must stay safe if a new request
/// starts meanwhile.
/// </summary>
public interface IIdleMemoryRelease
{
    void ReleaseIdleMemory();
}
