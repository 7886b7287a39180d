namespace Relay.Benchmarks.Load;

/// <summary>The two published executables, and how to run relay against the loopback homeserver.</summary>
public sealed record PublishedApps(string Relay, string Hello)
{
    public static async Task<PublishedApps> EnsureAsync(string? relayDirectory, string artifacts)
    {
        var root = Published.RepositoryRoot();
        var relay = await Published.EnsureAsync(Path.Combine(root, "functions", "Relay.Host"),
            relayDirectory ?? Path.Combine(artifacts, "publish", "relay"), "relay", reuse: relayDirectory is not null);
        var hello = await Published.EnsureAsync(Path.Combine(root, "tests", "Relay.Benchmarks", "HelloWorld"),
            Path.Combine(artifacts, "publish", "hello"), "hello", reuse: false);
        return new PublishedApps(relay, hello);
    }

    /// <summary>As the Functions host starts relay: settings in the environment, the port in FUNCTIONS_CUSTOMHANDLER_PORT.</summary>
    public static Dictionary<string, string?> RelayEnvironment(TestHomeserver.TestHomeserver homeserver, string dataPath, int port,
        ReportWorld? world = null)
    {
        var environment = new Dictionary<string, string?> { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (key, value) in InProcessRelay.Settings(homeserver, dataPath).Concat(world?.ProtectedRoomSettings() ?? []))
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        // Start-up as in production: the homeserver ping runs (in the background).
        environment.Remove("Relay__Appservice__PingOnStart");
        return environment;
    }
}
