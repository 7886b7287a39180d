using System.Globalization;

namespace Relay.TestHomeserver.State;

internal static class RoomVersions
{
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
    };

    public static bool HasPrivilegedCreators(string version) => Number(version) >= 12;

    /// <summary>Before v11 m.room.create carries content.creator.</summary>
    public static bool HasCreatorField(string version) => Number(version) < 11;

    private static int Number(string version) =>
        int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
