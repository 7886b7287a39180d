using System.IO.Hashing;

namespace Relay.Core.Appservice;

/// <summary>
/// "{txnId} {XxHash128 of the body}": the same id with another body is another transaction (a homeserver that restarted
/// its counter). Only the homeserver, holding the hs_token, can push a body, so nobody is there to forge a collision and a
/// non-cryptographic hash does; XxHash128 reads a large transaction several times faster than SHA-256, and every
/// transaction pays for it.
/// </summary>
public static class TransactionKey
{
    public static string For(string txnId, ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[16];
        XxHash128.Hash(body, hash);
        return $"{txnId} {Convert.ToHexStringLower(hash)}";
    }
}
