using System.Security.Cryptography;

namespace Relay.TestHomeserver.State;

/// <summary>Fresh identifiers in the formats of room version 4 and later.</summary>
internal static class Ids
{
    public static string EventId() => "$" + Base64Url(32);

    /// <summary>Room ids are "!opaque:server" before v12 and "!{reference hash}" (no server) from v12.</summary>
    public static string RoomId(string version, string serverName) =>
        RoomVersions.HasPrivilegedCreators(version) ? "!" + Base64Url(32) : $"!{Letters(18)}:{serverName}";

    public static string Token() => "syt_" + Base64Url(24);

    public static string DeviceId() => Letters(10).ToUpperInvariant();

    private static string Base64Url(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Letters(int count) => RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", count);
}
