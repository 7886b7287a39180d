namespace Relay.Host.Escalation;

/// <summary>
/// <c>Relay__Escalation__*</c>: the policy (tiers here, or a JSON file named by <see cref="PolicyFile"/>, or the built-in
/// ladder), where tiers 4 and 5 are reached, how other servers' support contacts are read, and how long evidence is kept.
/// </summary>
public sealed class EscalationOptions
{
    public const string Section = "Relay:Escalation";

    /// <summary>A JSON policy file (<c>{"tiers": [...]}</c>); replaces the built-in ladder. Not together with <see cref="Tiers"/>.</summary>
    public string? PolicyFile { get; set; }

    /// <summary>The policy as configuration (<c>Relay__Escalation__Tiers__0__Name</c>, ...); replaces the built-in ladder.</summary>
    public List<TierOptions> Tiers { get; set; } = [];

    /// <summary>How the community is named to outsiders (mails, DMs, webhooks); default the homeserver's server name.</summary>
    public string? Community { get; set; }

    /// <summary><c>https</c> (default); <c>http</c> only for tests against loopback servers.</summary>
    public string SupportScheme { get; set; } = "https";

    public int SupportTimeoutSeconds { get; set; } = 10;

    public int SupportCacheMinutes { get; set; } = 60;

    public int EvidenceRetentionDays { get; set; } = 365;

    /// <summary>How often the embedded runtime sweeps for overdue cases and expired evidence.</summary>
    public int SweepIntervalSeconds { get; set; } = 60;

    /// <summary>Time allowed for each webhook and CyberTipline call.</summary>
    public int HttpTimeoutSeconds { get; set; } = 30;

    public HostingEscalationOptions Hosting { get; set; } = new();

    public WebhookOptions Authorities { get; set; } = new();
}

public sealed class TierOptions
{
    public string? Name { get; set; }

    public List<string> Channels { get; set; } = [];

    /// <summary>ISO-8601 duration, e.g. PT30M.</summary>
    public string? Deadline { get; set; }

    public TriggerOptions Triggers { get; set; } = new();
}

public sealed class TriggerOptions
{
    public List<string> Categories { get; set; } = [];

    public int? DistinctReporters { get; set; }

    public bool? ModeratorCommand { get; set; }
}

public class WebhookOptions
{
    /// <summary>HTTPS URL the escalation JSON is POSTed to.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Secret of the <c>X-Relay-Signature</c> HMAC (at least 16 characters).</summary>
    public string? WebhookSecret { get; set; }
}

public sealed class HostingEscalationOptions : WebhookOptions
{
    /// <summary>The hosting provider's abuse address.</summary>
    public string? AbuseEmail { get; set; }
}

/// <summary><c>Relay__Smtp__*</c>: the mail server escalation mails go through.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Relay:Smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>StartTls (default), SslOnConnect, StartTlsWhenAvailable, Auto or None.</summary>
    public string Tls { get; set; } = "StartTls";

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender address, e.g. <c>Relay &lt;relay@example.org&gt;</c>.</summary>
    public string? From { get; set; }

    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary><c>Relay__CyberTipline__*</c>: NCMEC's reporting API (test endpoint unless <see cref="Url"/> says otherwise).</summary>
public sealed class CyberTiplineOptions
{
    public const string Section = "Relay:CyberTipline";

    public string Url { get; set; } = "https://exttest.cybertip.org/ispws";

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? ReporterFirstName { get; set; }

    public string? ReporterLastName { get; set; }

    public string? ReporterEmail { get; set; }
}

/// <summary>The part of <c>Relay__Community__*</c> escalation reads: <c>Relay__Community__Admins__0..N</c>.</summary>
public sealed class CommunityAdminsOptions
{
    public const string Section = "Relay:Community";

    public List<string> Admins { get; set; } = [];
}
