using System.Diagnostics.CodeAnalysis;

namespace Relay.Core.Identifiers;

/// <summary>A Matrix event ID: <c>$opaque:server</c> (room v1–2) or <c>$base64hash</c> (v3+).</summary>
public readonly record struct EventId
{
    private EventId(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse([NotNullWhen(true)] string? value, out EventId id)
    {
        id = default;
        if (!OpaqueId.IsValid(value, '$'))
        {
            return false;
        }
        id = new EventId(value);
        return true;
    }

    public static EventId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException($"Not a Matrix event ID: {value}");

    public override string ToString() => Value;
}
