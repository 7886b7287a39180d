using Relay.Core.Cases;
using Relay.Core.Identifiers;

namespace Relay.Core.Reports;

/// <summary>
/// One stored report. <see cref="ReporterHash"/> counts distinct reporters without naming them;
/// <see cref="Reporter"/> is kept only so Relay can tell the reporter the outcome, and is never shown
/// to the reported user; it is null for a web-form report, whose optional <see cref="ContactEmail"/> serves
/// the same purpose (kept for a later follow-up, never logged). <see cref="IdempotencyKey"/> makes a retried
/// submission return the same report.
/// </summary>
public sealed record Report(
    string Id,
    CaseId CaseId,
    ReportTarget Target,
    string ReporterHash,
    UserId? Reporter,
    HarmCategory? Category,
    string? Reason,
    ReportSource Source,
    DateTimeOffset ReceivedAt,
    string? IdempotencyKey,
    string? ContactEmail = null)
{
    /// <summary>A report by the user it is about: recorded, never counted as a distinct reporter, never told the outcome.</summary>
    public bool IsSelfReport => Reporter is { } reporter && reporter == Target.ReportedUser;
}
