using System.Diagnostics.CodeAnalysis;

namespace Relay.Core.Identifiers;

/// <summary>Room and event IDs: a sigil, an opaque part, and a server name if there is a colon.</summary>
internal static class OpaqueId
{
    public static bool IsValid([NotNullWhen(true)] string? value, char sigil)
    {
        if (value is null || value.Length < 2 || value[0] != sigil || !IdentifierGrammar.FitsLength(value))
        {
            return false;
        }
        var body = value.AsSpan(1);
        if (!IdentifierGrammar.AllOpaque(body))
        {
            return false;
        }
        var colon = body.IndexOf(':');
        return colon < 0 || (colon > 0 && IdentifierGrammar.IsServerName(body[(colon + 1)..]));
    }
}
