using Relay.Core.Identifiers;

namespace Relay.Core.Reports;

/// <summary>
/// A validated, authenticated report ready for intake: the edge has already parsed IDs,
/// checked the token, and resolved the target with the homeserver.
/// </summary>
public sealed record ReportSubmission(
    UserId Reporter,
    ReportTarget Target,
    HarmCategory? Category,
    string? Reason,
    ReportSource Source,
    string? ClientTxnId = null);
