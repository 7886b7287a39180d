using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Relay.Core.Dashboard;

/// <summary>
/// Sign-in and session tokens: 32 random bytes, base64url. Stored and looked up by SHA-256 (hex), never in clear; a
/// token's CSRF token is derived from the token itself, so forms need no stored secret and a copy of the store
/// cannot forge them.
/// </summary>
public static class DashboardTokens
{
    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Shape check before any lookup: 43 base64url characters.</summary>
    public static bool LooksValid([NotNullWhen(true)] string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The form token that goes with a session token (or a pre-session cookie).</summary>
    public static string CsrfFor(string token) =>
        Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes("relay dashboard csrf v1\n" + token)));

    /// <summary>Constant-time, so a guess learns nothing from how long the comparison took.</summary>
    public static bool AreEqual(string? a, string? b) =>
        a is not null && b is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
