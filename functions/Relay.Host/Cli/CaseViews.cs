using System.Text.Json.Serialization;
using Relay.Core.Cases;
using Relay.Core.Reports;

namespace Relay.Host.Cli;

/// <summary>The JSON shape of <c>relay cases list/show --json</c>: stable snake_case names for scripts.</summary>
public sealed record CaseView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("tier")] int Tier,
    [property: JsonPropertyName("category")] string? Category,
    [property: JsonPropertyName("reporter_count")] int ReporterCount,
    [property: JsonPropertyName("report_count")] int ReportCount,
    [property: JsonPropertyName("target")] TargetView Target,
    [property: JsonPropertyName("opened_at")] DateTimeOffset OpenedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("case_room")] string? CaseRoom,
    [property: JsonPropertyName("summary_event")] string? SummaryEvent = null)
{
    public static CaseView From(Case c) => new(c.Id.Value, c.State.ToString(), c.Tier, c.Category?.Id,
        c.ReporterCount, c.ReportCount, TargetView.From(c.Target), c.OpenedAt, c.UpdatedAt, c.CaseRoom?.Value, c.SummaryEvent?.Value);
}

public sealed record TargetView(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("room_id")] string? RoomId,
    [property: JsonPropertyName("event_id")] string? EventId,
    [property: JsonPropertyName("user_id")] string? UserId,
    [property: JsonPropertyName("event_type")] string? EventType)
{
    public static TargetView From(ReportTarget target) => target switch
    {
        ReportTarget.Event e => new("event", e.RoomId.Value, e.EventId.Value, e.Sender.Value, e.EventType),
        ReportTarget.RoomTarget r => new(r.IsInvite ? "invite" : "room", r.RoomId.Value, null, r.Inviter?.Value, null),
        ReportTarget.UserTarget u => new("user", null, null, u.UserId.Value, null),
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };

    public override string ToString() => Kind switch
    {
        "event" => $"event {EventId} in {RoomId} by {UserId}",
        "room" => $"room {RoomId}",
        "invite" => $"invite spam from {UserId} (room {RoomId})",
        _ => $"user {UserId}",
    };
}

/// <summary>
/// A report as the operator sees it: never the reporter, hashed or not, nor a web reporter's e-mail;
/// <see cref="Unauthenticated"/> says it came without a Matrix account, <see cref="ContactGiven"/> that a
/// follow-up could reach the reporter.
/// </summary>
public sealed record ReportView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("category")] string? Category,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("received_at")] DateTimeOffset ReceivedAt,
    [property: JsonPropertyName("unauthenticated")] bool Unauthenticated,
    [property: JsonPropertyName("contact_given")] bool ContactGiven)
{
    public static ReportView From(Report r) => new(r.Id, r.Source.ToString(), r.Category?.Id, r.Reason, r.ReceivedAt,
        r.Reporter is null, r.ContactEmail is not null);

    /// <summary>"(web form, contact given)" and the like, for the text view; empty for a Matrix reporter.</summary>
    [JsonIgnore]
    public string Origin => !Unauthenticated ? ""
        : $"({(Source == nameof(ReportSource.WebForm) ? "web form" : "unauthenticated")}, {(ContactGiven ? "contact given" : "no contact")}) ";
}

public sealed record AuditView(
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("actor")] string Actor,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("detail")] string? Detail)
{
    public static AuditView From(AuditEntry a) => new(a.At, a.Actor, a.Action, a.Detail);
}

public sealed record CaseDetailView(
    [property: JsonPropertyName("case")] CaseView Case,
    [property: JsonPropertyName("reports")] IReadOnlyList<ReportView> Reports,
    [property: JsonPropertyName("audit")] IReadOnlyList<AuditView> Audit)
{
    public static async Task<CaseDetailView> LoadAsync(ICaseStore cases, Case found, CancellationToken cancellationToken) => new(
        CaseView.From(found),
        [.. (await cases.GetReportsAsync(found.Id, cancellationToken)).Select(ReportView.From)],
        [.. (await cases.GetAuditAsync(found.Id, cancellationToken)).Select(AuditView.From)]);
}

[JsonSerializable(typeof(List<CaseView>))]
[JsonSerializable(typeof(CaseDetailView))]
[JsonSerializable(typeof(CaseExportView))]
[JsonSourceGenerationOptions(WriteIndented = true)]
public sealed partial class CliJsonContext : JsonSerializerContext;
