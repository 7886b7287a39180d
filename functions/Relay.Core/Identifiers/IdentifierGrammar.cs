using System.Buffers;
using System.Text;

namespace Relay.Core.Identifiers;

/// <summary>
/// The Matrix identifier grammar (spec appendices): sigil, opaque or local part, server name,
/// and the 255-byte limit. Kept strict at the edge so an invalid ID cannot travel inside.
/// </summary>
public static class IdentifierGrammar
{
    public const int MaxLength = 255;

    /// <summary>Historical user-ID localparts: %x21-39 / %x3B-7E (everything printable but ':').</summary>
    internal static bool IsHistoricalLocalpartChar(char c) => c is > ' ' and <= '~' and not ':';

    internal static bool FitsLength(string value) =>
        value.Length <= MaxLength && Encoding.UTF8.GetByteCount(value) <= MaxLength;

    /// <summary>
    /// Opaque parts (room and event IDs, alias localparts) may hold any Unicode scalar value (spec
    /// appendix), except what Relay refuses: whitespace, control characters and slashes, since IDs
    /// end up in URL paths and storage keys. Lone surrogates are not scalar values.
    /// </summary>
    internal static bool AllOpaque(ReadOnlySpan<char> value)
    {
        while (!value.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(value, out var rune, out var consumed) != OperationStatus.Done
                || Rune.IsWhiteSpace(rune) || Rune.IsControl(rune) || rune.Value is '/' or '\\')
            {
                return false;
            }
            value = value[consumed..];
        }
        return true;
    }

    /// <summary>
    /// server_name = hostname [ ":" port ]; hostname = IPv4 / "[" IPv6 "]" / dns-name.
    /// </summary>
    public static bool IsServerName(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }
        ReadOnlySpan<char> host;
        ReadOnlySpan<char> port = default;
        if (value[0] == '[')
        {
            var close = value.IndexOf(']');
            if (close < 2)
            {
                return false;
            }
            host = value[1..close];
            var rest = value[(close + 1)..];
            if (!rest.IsEmpty)
            {
                if (rest[0] != ':')
                {
                    return false;
                }
                port = rest[1..];
                if (port.IsEmpty)
                {
                    return false;
                }
            }
            return IsIpv6Chars(host) && (port.IsEmpty || IsPort(port));
        }
        var colon = value.IndexOf(':');
        if (colon >= 0)
        {
            host = value[..colon];
            port = value[(colon + 1)..];
            if (!IsPort(port))
            {
                return false;
            }
        }
        else
        {
            host = value;
        }
        return IsDnsName(host);
    }

    private static bool IsPort(ReadOnlySpan<char> port)
    {
        if (port.IsEmpty || port.Length > 5)
        {
            return false;
        }
        foreach (var c in port)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsIpv6Chars(ReadOnlySpan<char> host)
    {
        if (host.Length is < 2 or > 45)
        {
            return false;
        }
        foreach (var c in host)
        {
            if (!char.IsAsciiHexDigit(c) && c is not ':' and not '.')
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsDnsName(ReadOnlySpan<char> host)
    {
        if (host.IsEmpty || host.Length > MaxLength)
        {
            return false;
        }
        foreach (var c in host)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '.')
            {
                return false;
            }
        }
        return true;
    }
}
