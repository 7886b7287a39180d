namespace Relay.Host.Configuration;

/// <summary>
/// Everything under the <c>Relay</c> configuration section (environment: <c>Relay__Section__Key</c>).
/// Every knob has a safe default except the ones that name the homeserver and its secrets.
/// </summary>
public sealed class RelayOptions
{
    public const string Section = "Relay";

    public HomeserverOptions Homeserver { get; set; } = new();

    public AppserviceOptions Appservice { get; set; } = new();

    public DataOptions Data { get; set; } = new();

    public ReportsOptions Reports { get; set; } = new();

    public QueueOptions Queue { get; set; } = new();

    public CommunityOptions Community { get; set; } = new();

    public ModerationOptions Moderation { get; set; } = new();

    public CasesOptions Cases { get; set; } = new();

    public HttpOptions Http { get; set; } = new();

    public Dashboard.DashboardOptions Dashboard { get; set; } = new();
}

public sealed class HomeserverOptions
{
    /// <summary>Client-server API base URL, e.g. https://matrix.example.org.</summary>
    public string? Url { get; set; }

    /// <summary>The server name in user IDs, e.g. example.org.</summary>
    public string? ServerName { get; set; }

    public int TimeoutSeconds { get; set; } = 10;
}

public sealed class AppserviceOptions
{
    public string Id { get; set; } = "relay";

    public string? AsToken { get; set; }

    public string? HsToken { get; set; }

    public string SenderLocalpart { get; set; } = "relay";

    /// <summary>The reaction key that files a report in a protected room.</summary>
    public string ReportReactionKey { get; set; } = "🚩";

    /// <summary>Ask the homeserver to ping Relay once at start and log the outcome.</summary>
    public bool PingOnStart { get; set; } = true;
}

public sealed class DataOptions
{
    /// <summary>The embedded SQLite file (store and queue).</summary>
    public string Path { get; set; } = "./relay-data/relay.db";

    /// <summary>
    /// Key for hashing reporter IDs (at least 16 characters). Defaults to one derived from the
    /// hs_token; set it explicitly if you expect to rotate that token.
    /// </summary>
    public string? ReporterHashKey { get; set; }
}

public sealed class ReportsOptions
{
    public int PerReporterPerMinute { get; set; } = 10;

    public int PerRoomPerMinute { get; set; } = 60;

    public int WhoAmICacheSeconds { get; set; } = 60;

    /// <summary>Also forward event reports with no MSC2938 <c>target</c> to the homeserver's admins.</summary>
    public bool ForwardToHomeserverByDefault { get; set; }

    /// <summary>Rooms Relay protects, searched when a reporting-v2 complaint names only an event.</summary>
    public List<string> ProtectedRooms { get; set; } = [];

    /// <summary>Reports the web form takes from one client address (an IPv6 /64) per minute.</summary>
    public int WebFormPerAddressPerMinute { get; set; } = 5;
}

public sealed class QueueOptions
{
    public int MaxDeliveryCount { get; set; } = 10;
}

public sealed class HttpOptions
{
    /// <summary>
    /// Take the client address from the last <c>X-Forwarded-For</c> entry, for requests that come from a proxy on
    /// this machine (loopback) only. Off by default: without a proxy, the header is the client's own claim.
    /// </summary>
    public bool TrustForwardedFor { get; set; }
}
