using System.Security.Cryptography;
using System.Text;
using Relay.Core.Identifiers;

namespace Relay.Core.Reports;

/// <summary>
/// Keyed hash of a reporter's user ID. Keyed, because Matrix IDs are guessable and a bare
/// SHA-256 of one would be reversed by anyone holding the store.
/// </summary>
public sealed class ReporterHasher
{
    private readonly byte[] _key;

    public ReporterHasher(ReadOnlySpan<byte> key)
    {
        if (key.Length < 16)
        {
            throw new ArgumentException("The reporter hash key must be at least 16 bytes.", nameof(key));
        }
        _key = key.ToArray();
    }

    public string Hash(UserId reporter) => Hash(reporter.Value);

    /// <summary>Also used for idempotency keys and rate-limit buckets, so none of them holds an ID in clear.</summary>
    public string Hash(string value)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(value), mac);
        return Convert.ToHexStringLower(mac[..16]);
    }
}
