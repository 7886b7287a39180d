namespace Relay.Core.Cases.Rooms;

/// <summary>
/// Transaction IDs for everything Relay sends about a case: derived from the case, the purpose and a
/// revision (a reporter count, or the event that triggered an action), so a retried handler re-sends
/// the same txnId and the homeserver answers with the event it already has instead of posting twice.
/// </summary>
public static class CaseTxn
{
    public static string For(CaseId caseId, string purpose, string revision) => $"relay.{caseId.Value}.{purpose}.{revision}";

    public static string For(CaseId caseId, string purpose, int revision) =>
        For(caseId, purpose, revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
