using System.Security.Cryptography;
using System.Text;
using Relay.Core.Memory;

namespace Relay.Core.Homeserver;

/// <summary>
/// Resolves a bearer token to its owner with <c>whoami</c>, cached briefly by a hash of the token so a
/// burst of reports costs the homeserver one call and no token is held in clear. At most <paramref name="maxEntries"/>
/// tokens are remembered (<c>Relay__Memory__WhoAmICacheEntries</c>).
/// </summary>
public sealed class ReporterAuthenticator(IHomeserver homeserver, TimeProvider time, TimeSpan cacheFor, int maxEntries = 10_000)
{
    private readonly ExpiringCache<string, TokenOwner> _cache = new(maxEntries, time, StringComparer.Ordinal);

    /// <summary>Tokens remembered now; never more than the cap (plus concurrent inserts).</summary>
    public int Cached => _cache.Count;

    public async Task<TokenOwner> AuthenticateAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        var key = HashToken(accessToken);
        if (_cache.TryGet(key, out var owner))
        {
            return owner;
        }
        owner = await homeserver.WhoAmIAsync(accessToken, cancellationToken);
        _cache.Set(key, owner, cacheFor);
        return owner;
    }

    private static string HashToken(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
