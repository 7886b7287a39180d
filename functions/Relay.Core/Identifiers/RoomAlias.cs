using System.Diagnostics.CodeAnalysis;

namespace Relay.Core.Identifiers;

/// <summary>A Matrix room alias, <c>#localpart:server</c>.</summary>
public readonly record struct RoomAlias
{
    private RoomAlias(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse([NotNullWhen(true)] string? value, out RoomAlias alias)
    {
        alias = default;
        if (value is null || value.Length < 4 || value[0] != '#' || !IdentifierGrammar.FitsLength(value))
        {
            return false;
        }
        var colon = value.IndexOf(':');
        if (colon < 2 || !IdentifierGrammar.AllOpaque(value.AsSpan(1, colon - 1))
            || !IdentifierGrammar.IsServerName(value.AsSpan(colon + 1)))
        {
            return false;
        }
        alias = new RoomAlias(value);
        return true;
    }

    public override string ToString() => Value;
}
