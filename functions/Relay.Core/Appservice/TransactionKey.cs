using System.Security.Cryptography;

namespace Relay.Core.Appservice;

/// <summary>"{txnId} {sha256 of the body}": the same id with another body is another transaction.</summary>
public static class TransactionKey
{
    public static string For(string txnId, ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        return $"{txnId} {Convert.ToHexStringLower(hash)}";
    }
}
