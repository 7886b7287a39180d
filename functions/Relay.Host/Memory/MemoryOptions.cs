using Relay.Core.Memory;

namespace Relay.Host.Memory;

/// <summary>
/// <c>Relay__Memory__*</c>: how Relay gives memory back between bursts of work, and how many entries each in-memory cache
/// may hold, so that memory does not grow with the work an instance has done.
/// </summary>
public sealed class MemoryOptions
{
    public const string Section = "Relay:Memory";

    /// <summary>
    /// Seconds with no request in flight and the queue idle after which Relay releases pooled connections, compacts its
    /// heap and returns free native memory to the OS, once per burst (bursts that allocated less than 4 MiB wait until they
    /// add up to that); 0 never does.
    /// </summary>
    public int IdleTrimSeconds { get; set; } = 1;

    /// <summary>Access tokens whose owner (whoami) is remembered, by hash.</summary>
    public int WhoAmICacheEntries { get; set; } = CacheLimits.Default.WhoAmIEntries;

    /// <summary>Keys (reporters, rooms, client addresses, Matrix IDs) each rate limiter tracks at once.</summary>
    public int RateLimitKeys { get; set; } = CacheLimits.Default.RateLimitKeys;

    /// <summary>Rooms whose moderators, read for one case, are remembered for the next cases about the room.</summary>
    public int ModeratorCacheRooms { get; set; } = CacheLimits.Default.ModeratorRooms;

    /// <summary>Servers whose <c>/.well-known/matrix/support</c> answer is remembered.</summary>
    public int SupportCacheServers { get; set; } = CacheLimits.Default.SupportServers;

    public CacheLimits Limits() => new(WhoAmICacheEntries, RateLimitKeys, ModeratorCacheRooms, SupportCacheServers);
}
