using System.Globalization;
using Microsoft.Extensions.Options;

namespace Relay.Host.Memory;

/// <summary>Fails start naming the setting and what to set it to, as the other validators do.</summary>
public sealed class MemoryOptionsValidator : IValidateOptions<MemoryOptions>
{
    public const int MaxSeconds = 3600;

    /// <summary>A cap above this is no cap on a consumption-plan instance (a million entries is hundreds of MiB).</summary>
    public const int MaxEntries = 1_000_000;

    public ValidateOptionsResult Validate(string? name, MemoryOptions options)
    {
        var failures = new List<string>();
        if (options.IdleTrimSeconds is < 0 or > MaxSeconds)
        {
            failures.Add($"Relay__Memory__IdleTrimSeconds must be between 0 and {MaxSeconds} (default 1): the idle seconds after a burst of " +
                $"work before Relay gives memory back, or 0 to never do it; got {options.IdleTrimSeconds}.");
        }
        var defaults = new MemoryOptions();
        Cap(failures, nameof(options.WhoAmICacheEntries), options.WhoAmICacheEntries, defaults.WhoAmICacheEntries, "access tokens whose owner is remembered");
        Cap(failures, nameof(options.RateLimitKeys), options.RateLimitKeys, defaults.RateLimitKeys, "keys each rate limiter tracks");
        Cap(failures, nameof(options.ModeratorCacheRooms), options.ModeratorCacheRooms, defaults.ModeratorCacheRooms, "rooms whose moderators are remembered");
        Cap(failures, nameof(options.SupportCacheServers), options.SupportCacheServers, defaults.SupportCacheServers, "servers whose support contacts are remembered");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Cap(List<string> failures, string setting, int value, int fallback, string what)
    {
        if (value is < 1 or > MaxEntries)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Relay__Memory__{setting} must be between 1 and {MaxEntries:N0} (default {fallback:N0}): the most {what}; got {value}."));
        }
    }
}
