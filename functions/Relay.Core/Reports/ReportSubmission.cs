namespace Relay.Core.Reports;

/// <summary>
/// A validated report ready for intake: the edge has already parsed IDs, checked the token (or,
/// for the web form, the client's address and contact), and resolved the target with the homeserver.
/// </summary>
public sealed record ReportSubmission(
    Reporter Reporter,
    ReportTarget Target,
    HarmCategory? Category,
    string? Reason,
    ReportSource Source,
    string? ClientTxnId = null);
