using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Relay.Core.Homeserver;

/// <summary>
/// Resolves a bearer token to its owner with <c>whoami</c>, cached briefly by a hash of the token so a
/// burst of reports costs the homeserver one call and no token is held in clear.
/// </summary>
public sealed class ReporterAuthenticator(IHomeserver homeserver, TimeProvider time, TimeSpan cacheFor)
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (TokenOwner Owner, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async Task<TokenOwner> AuthenticateAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        var key = HashToken(accessToken);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var hit) && hit.Until > now)
        {
            return hit.Owner;
        }
        var owner = await homeserver.WhoAmIAsync(accessToken, cancellationToken);
        if (_cache.Count >= MaxEntries)
        {
            Evict(now);
        }
        _cache[key] = (owner, now + cacheFor);
        return owner;
    }

    private void Evict(DateTimeOffset now)
    {
        foreach (var (key, entry) in _cache)
        {
            if (entry.Until <= now)
            {
                _cache.TryRemove(key, out _);
            }
        }
        if (_cache.Count >= MaxEntries)
        {
            _cache.Clear();
        }
    }

    private static string HashToken(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
