using Relay.Core.Cases;
using Relay.Core.Escalation;
using Relay.Core.Reports;

namespace Relay.Core.Statistics;

/// <summary>One case with its reports and audit trail (oldest first): what every figure is computed from.</summary>
public sealed record CaseHistory(Case Case, IReadOnlyList<Report> Reports, IReadOnlyList<AuditEntry> Audit)
{
    private static readonly HashSet<string> Refusals = ["action.rejected", "action.failed", "action.not_applicable"];

    /// <summary>
    /// The decisions taken on the case, by kind: each moderator action (<c>action.ack</c>, <c>action.ban</c>, … → "ack",
    /// "ban") and each climb of the escalation ladder ("escalate", by a moderator, an operator or Relay's deadlines).
    /// Refused and failed attempts decided nothing.
    /// </summary>
    public IEnumerable<(AuditEntry Line, string Kind)> Decisions() =>
        Audit.Select(line => (line, Kind: DecisionKind(line))).Where(d => d.Kind is not null).Select(d => (d.line, d.Kind!));

    /// <summary>When a moderator first answered: acknowledged, or closed it straight away; null while nobody has.</summary>
    public DateTimeOffset? AcknowledgedAt =>
        Audit.FirstOrDefault(line => line.Action is "case.acknowledged" or "case.resolved" or "case.dismissed")?.At;

    /// <summary>When the case was closed; the last change stands in for a trail without the closing line.</summary>
    public DateTimeOffset? ClosedAt => Case.State.IsOpen() ? null
        : Audit.FirstOrDefault(line => line.Action is "case.resolved" or "case.dismissed")?.At ?? Case.UpdatedAt;

    /// <summary>The climbs of the ladder, with the tier each reached.</summary>
    public IEnumerable<(AuditEntry Line, int Tier)> Escalations() =>
        from line in Audit
        where line.Action == EscalationAudit.Escalated
        let parsed = EscalationAudit.TryReadEscalatedTo(line.Detail, out var tier) ? tier : 0
        where parsed > 0
        select (line, parsed);

    /// <summary>When deliveries to the authorities (CyberTipline, the authorities' webhook) were first queued; null if never.</summary>
    public DateTimeOffset? ToAuthoritiesAt => Audit.FirstOrDefault(line =>
        line.Action == EscalationAudit.Queued
        && EscalationAudit.TryReadQueued(line.Detail, out _, out var channels)
        && channels.Any(c => c is ChannelKinds.CyberTipline or ChannelKinds.AuthoritiesWebhook))?.At;

    public static bool IsAutomated(AuditEntry line) => line.Actor == AuditEntry.System;

    private static string? DecisionKind(AuditEntry line) =>
        line.Action == EscalationAudit.Escalated ? "escalate"
        : line.Action.StartsWith("action.", StringComparison.Ordinal) && !Refusals.Contains(line.Action) ? line.Action["action.".Length..]
        : null;
}
