using Microsoft.Extensions.Options;
using Relay.Core.Identifiers;
using Relay.Core.Memory;
using Relay.Core.Reports;
using Relay.Host.Configuration;

namespace Relay.Host.Dashboard;

/// <summary>
/// How often sign-in links may be asked for: per client address (per minute; over it, 429) and per Matrix ID (per
/// hour; over it, the same answer and no DM, so nobody can flood a moderator's DMs). In memory, like the report limits.
/// </summary>
public sealed class SignInLimits(IOptions<RelayOptions> options, TimeProvider time, CacheLimits limits)
{
    private readonly SlidingWindowLimiter _perAddress =
        new(options.Value.Dashboard.SignInPerAddressPerMinute, TimeSpan.FromMinutes(1), time, limits.RateLimitKeys);

    private readonly SlidingWindowLimiter _perUser =
        new(options.Value.Dashboard.SignInPerUserPerHour, TimeSpan.FromHours(1), time, limits.RateLimitKeys);

    public bool TryAddress(string address, out TimeSpan retryAfter) => _perAddress.TryAcquire(address, out retryAfter);

    public bool TryUser(UserId user) => _perUser.TryAcquire(user.Value, out _);
}
