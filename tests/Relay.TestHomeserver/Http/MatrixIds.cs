namespace Relay.TestHomeserver.Http;

/// <summary>Checks on identifiers taken from paths and bodies; a malformed one is a 400 M_INVALID_PARAM spec violation.</summary>
internal static class MatrixIds
{
    public static string RoomId(string value, string what = "room id") => Sigil(value, '!', what, requireServer: false);

    public static string EventId(string value) => Sigil(value, '$', "event id", requireServer: false);

    public static string UserId(string value, string what = "user id") => Sigil(value, '@', what, requireServer: true);

    public static string Alias(string value) => Sigil(value, '#', "room alias", requireServer: true);

    public static string ServerOf(string id) => id[(id.IndexOf(':', StringComparison.Ordinal) + 1)..];

    private static string Sigil(string value, char sigil, string what, bool requireServer)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var valid = value.Length > 1 && value[0] == sigil && (!requireServer || (colon > 1 && colon < value.Length - 1));
        return valid ? value : throw MatrixException.InvalidParam($"'{value}' is not a valid {what}");
    }
}
