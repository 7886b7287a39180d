using Relay.Core.Identifiers;

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

    /// <summary>Event IDs hold characters a txnId is better without; twelve hex digits of their SHA-256 tell them apart.</summary>
    public static string EventKey(EventId id) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id.Value)))[..12];
}
