namespace Relay.Core.Memory;

/// <summary>
/// The most entries each in-memory cache or limiter may hold (<c>Relay__Memory__*</c>), so memory stays flat however many
/// reports, reporters, rooms and servers an instance has seen. Each cap is per cache, per instance.
/// </summary>
public sealed record CacheLimits(int WhoAmIEntries, int RateLimitKeys, int ModeratorRooms, int SupportServers)
{
    public static readonly CacheLimits Default = new(10_000, 10_000, 1_000, 1_024);
}
