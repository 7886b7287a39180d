using System.Text.Json.Serialization;
using Relay.Core.Escalation;

namespace Relay.Host.Cli;

/// <summary>
/// <c>relay cases export</c>: one case for hand-over, as <c>relay cases show --json</c> has it (so reporters stay unnamed, as
/// there) plus its preserved evidence. Evidence content is the event JSON exactly as stored, as a string, so its SHA-256
/// can still be checked against <see cref="EvidenceView.Sha256"/>.
/// </summary>
public sealed record CaseExportView(
    [property: JsonPropertyName("exported_at")] DateTimeOffset ExportedAt,
    [property: JsonPropertyName("case")] CaseView Case,
    [property: JsonPropertyName("reports")] IReadOnlyList<ReportView> Reports,
    [property: JsonPropertyName("audit")] IReadOnlyList<AuditView> Audit,
    [property: JsonPropertyName("evidence")] IReadOnlyList<EvidenceView> Evidence)
{
    public static CaseExportView From(DateTimeOffset at, CaseDetailView detail, IReadOnlyList<EvidenceItem> evidence) =>
        new(at, detail.Case, detail.Reports, detail.Audit, [.. evidence.Select(EvidenceView.From)]);
}

public sealed record EvidenceView(
    [property: JsonPropertyName("item")] string Item,
    [property: JsonPropertyName("content")] string Content,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("reported_at")] DateTimeOffset ReportedAt,
    [property: JsonPropertyName("escalated_at")] DateTimeOffset EscalatedAt,
    [property: JsonPropertyName("preserved_at")] DateTimeOffset PreservedAt,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt)
{
    public static EvidenceView From(EvidenceItem e) => new(e.Item, e.Content, e.Sha256, e.ReportedAt, e.EscalatedAt, e.PreservedAt, e.ExpiresAt);
}
