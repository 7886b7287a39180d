namespace Relay.Core.Cases;

/// <summary>
/// One append-only line of a case's history. <see cref="Actor"/> is a moderator's user ID, "relay",
/// or "reporter:&lt;hash&gt;" — never a reporter in clear.
/// </summary>
public sealed record AuditEntry(CaseId CaseId, DateTimeOffset At, string Actor, string Action, string? Detail = null)
{
    public const string System = "relay";

    public static string Reporter(string reporterHash) => "reporter:" + reporterHash[..8];
}
