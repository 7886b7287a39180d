using System.Diagnostics.CodeAnalysis;

namespace Relay.Core.Identifiers;

/// <summary>
/// A Matrix room ID: <c>!opaque:server</c>, or in room version 12 <c>!hash</c> with no server part.
/// </summary>
public readonly record struct RoomId
{
    private RoomId(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse([NotNullWhen(true)] string? value, out RoomId id)
    {
        id = default;
        if (!OpaqueId.IsValid(value, '!'))
        {
            return false;
        }
        id = new RoomId(value);
        return true;
    }

    public static RoomId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException($"Not a Matrix room ID: {value}");

    public override string ToString() => Value;
}
