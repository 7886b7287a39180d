namespace Relay.Host.Composition;

/// <summary>
/// Where Kestrel listens: the Functions host's port on loopback when it started us, else what
/// <c>--urls</c> / <c>ASPNETCORE_URLS</c> say, else http://127.0.0.1:7071 (the Functions local default).
/// </summary>
public static class ListenAddress
{
    public const string Default = "http://127.0.0.1:7071";

    public static string? Choose(string? customHandlerPort, string? configuredUrls)
    {
        if (!string.IsNullOrWhiteSpace(customHandlerPort))
        {
            if (!int.TryParse(customHandlerPort, System.Globalization.CultureInfo.InvariantCulture, out var port)
                || port is < 1 or > 65535)
            {
                throw new InvalidOperationException(
                    $"FUNCTIONS_CUSTOMHANDLER_PORT must be a TCP port number; got '{customHandlerPort}'.");
            }
            return $"http://127.0.0.1:{port}";
        }
        return string.IsNullOrWhiteSpace(configuredUrls) ? Default : null;
    }
}
