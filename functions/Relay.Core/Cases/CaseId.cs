using System.Diagnostics.CodeAnalysis;

namespace Relay.Core.Cases;

/// <summary>A case's ULID. The short form (last 8 characters, the random part) names case rooms.</summary>
public readonly record struct CaseId
{
    private CaseId(string value) => Value = value;

    public string Value { get; }

    public string Short => Value[^8..];

    public static bool TryParse([NotNullWhen(true)] string? value, out CaseId id)
    {
        id = default;
        if (value is null || value.Length != 26)
        {
            return false;
        }
        foreach (var c in value)
        {
            // Crockford base32, the ULID alphabet: no I, L, O or U.
            if (!char.IsAsciiDigit(c) && (!char.IsAsciiLetterUpper(c) || c is 'I' or 'L' or 'O' or 'U'))
            {
                return false;
            }
        }
        id = new CaseId(value);
        return true;
    }

    public static CaseId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException($"Not a case ID: {value}");

    public override string ToString() => Value;
}
