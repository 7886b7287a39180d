using System.Diagnostics.CodeAnalysis;

namespace Relay.Core.Identifiers;

/// <summary>A Matrix user ID, <c>@localpart:server</c>, parsed once at the edge.</summary>
public readonly record struct UserId
{
    private UserId(string value) => Value = value;

    public string Value { get; }

    public string Localpart => Value[1..Value.IndexOf(':')];

    public string Server => Value[(Value.IndexOf(':') + 1)..];

    public static bool TryParse([NotNullWhen(true)] string? value, out UserId id)
    {
        id = default;
        if (value is null || value.Length < 4 || value[0] != '@' || !IdentifierGrammar.FitsLength(value))
        {
            return false;
        }
        var colon = value.IndexOf(':');
        if (colon < 2)
        {
            return false;
        }
        foreach (var c in value.AsSpan(1, colon - 1))
        {
            if (!IdentifierGrammar.IsHistoricalLocalpartChar(c))
            {
                return false;
            }
        }
        if (!IdentifierGrammar.IsServerName(value.AsSpan(colon + 1)))
        {
            return false;
        }
        id = new UserId(value);
        return true;
    }

    public static UserId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException($"Not a Matrix user ID: {value}");

    public override string ToString() => Value;
}
