using Relay.Core.Cases;

namespace Relay.Core.Escalation;

/// <summary>Cases whose deadline has passed, for the sweep. Adapters: SQLite (Table Storage to follow).</summary>
public interface IEscalationStore
{
    /// <summary>Open or escalated cases whose <see cref="Case.NextDueAt"/> is at or before <paramref name="now"/>, oldest due first.</summary>
    Task<IReadOnlyList<Case>> ListOverdueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);
}

/// <summary>
/// Preserved evidence of cases escalated to the authorities. Never shown in any room; kept until
/// <see cref="EvidenceItem.ExpiresAt"/>. Adapters: SQLite (Table Storage to follow).
/// </summary>
public interface IEvidenceStore
{
    /// <summary>Stores the item unless one with the same case and item id exists (the first preservation stands); returns the stored one.</summary>
    Task<EvidenceItem> PreserveAsync(EvidenceItem item, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<EvidenceItem>> GetAsync(CaseId id, CancellationToken cancellationToken = default);

    /// <summary>Deletes items whose retention ended at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>
/// The reported event exactly as the bot fetched it at escalation time (<see cref="Content"/>, JSON), its SHA-256 (hex),
/// when it was first reported and when it was escalated. Media is never downloaded, so never here.
/// </summary>
public sealed record EvidenceItem(
    CaseId CaseId,
    string Item,
    string Content,
    string Sha256,
    DateTimeOffset ReportedAt,
    DateTimeOffset EscalatedAt,
    DateTimeOffset PreservedAt,
    DateTimeOffset ExpiresAt);

/// <summary>Sends mail (SMTP adapter). Throws <see cref="EscalationChannelException"/> on failure.</summary>
public interface IMailSender
{
    /// <summary>False when no SMTP server is configured.</summary>
    bool IsConfigured { get; }

    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default);
}

/// <summary>A plain-text mail. <see cref="MessageKey"/> becomes a deterministic Message-Id, so a resent mail is recognisable.</summary>
public sealed record OutgoingMail(string To, string Subject, string Body, string MessageKey);

/// <summary>Posts signed JSON to a webhook (HTTP adapter). Throws <see cref="EscalationChannelException"/> on failure.</summary>
public interface IWebhookSender
{
    Task PostAsync(WebhookTarget target, string deliveryId, byte[] json, CancellationToken cancellationToken = default);
}

/// <summary>An HTTPS endpoint and the secret its HMAC-SHA256 signature is made with.</summary>
public sealed record WebhookTarget(Uri Url, string Secret);

/// <summary>The admin contacts a server publishes at <c>/.well-known/matrix/support</c>.</summary>
public interface ISupportContacts
{
    Task<SupportLookup> LookupAsync(string serverName, CancellationToken cancellationToken = default);
}

/// <summary>The answer of <see cref="ISupportContacts.LookupAsync"/>.</summary>
public abstract record SupportLookup
{
    private SupportLookup()
    {
    }

    public sealed record Found(IReadOnlyList<SupportContact> Contacts) : SupportLookup;

    /// <summary>No usable answer and retrying will not help (404, malformed, oversized, redirected elsewhere).</summary>
    public sealed record Unusable(string Why) : SupportLookup;
}

public sealed record SupportContact(string Role, string? MatrixId, string? EmailAddress);

/// <summary>NCMEC's CyberTipline reporting API (ISP web services). Throws <see cref="CyberTiplineException"/> on failure.</summary>
public interface ICyberTipline
{
    bool IsConfigured { get; }

    /// <summary><c>POST /submit</c>: opens a report; returns its report id.</summary>
    Task<string> SubmitAsync(CyberTiplineReport report, CancellationToken cancellationToken = default);

    /// <summary><c>POST /finish</c>: completes the report so NCMEC processes it.</summary>
    Task FinishAsync(string reportId, CancellationToken cancellationToken = default);
}

/// <summary>What Relay tells the CyberTipline (built into its XML report by the adapter).</summary>
public sealed record CyberTiplineReport(
    string IncidentType,
    DateTimeOffset IncidentAt,
    string ChatRoom,
    string Details,
    string? ReportedUser,
    string? ReportedUserServer);

/// <summary>
/// The CyberTipline answered with a non-zero response code (<see cref="ResponseCode"/>: 1000 server error, 2000
/// authentication required, 3000 not authorized, 4100 validation failed, 5001 no such report, 5102 already finished),
/// or not at all (<see cref="ResponseCode"/> null).
/// </summary>
public sealed class CyberTiplineException(string message, int? responseCode, Exception? inner = null) : Exception(message, inner)
{
    public int? ResponseCode => responseCode;
}

/// <summary>Who and where escalations come from and go to, from configuration.</summary>
public sealed record EscalationSettings(
    string Community,
    IReadOnlyList<Identifiers.UserId> CommunityAdmins,
    string? HostingAbuseEmail,
    WebhookTarget? HostingWebhook,
    WebhookTarget? AuthoritiesWebhook,
    TimeSpan EvidenceRetention);
