using System.Globalization;

namespace Relay.Core.Escalation;

/// <summary>
/// The audit lines of a climb, written by <see cref="Escalator"/> and read back by the case figures. Format and parse sit
/// together so the two cannot drift apart; a line that does not parse (written by hand, or by an older format) is skipped.
/// </summary>
public static class EscalationAudit
{
    public const string Escalated = "case.escalated";

    public const string Queued = "escalation.queued";

    public static string EscalatedDetail(int from, int to, string tierName, string reason) => $"tier {from} → {to} ({tierName}): {reason}";

    public static string QueuedDetail(int tier, IEnumerable<string> channels) => $"tier {tier}: {string.Join(", ", channels)}";

    /// <summary>The tier a <see cref="Escalated"/> line moved the case to.</summary>
    public static bool TryReadEscalatedTo(string? detail, out int tier)
    {
        tier = 0;
        var arrow = detail?.IndexOf(" → ", StringComparison.Ordinal) ?? -1;
        if (detail is null || arrow < 0 || !detail.StartsWith("tier ", StringComparison.Ordinal))
        {
            return false;
        }
        var rest = detail.AsSpan(arrow + 3);
        var end = rest.IndexOf(' ');
        return int.TryParse(end < 0 ? rest : rest[..end], NumberStyles.None, CultureInfo.InvariantCulture, out tier);
    }

    /// <summary>The tier and channels of a <see cref="Queued"/> line.</summary>
    public static bool TryReadQueued(string? detail, out int tier, out IReadOnlyList<string> channels)
    {
        tier = 0;
        channels = [];
        var colon = detail?.IndexOf(": ", StringComparison.Ordinal) ?? -1;
        if (detail is null || colon < 0 || !detail.StartsWith("tier ", StringComparison.Ordinal)
            || !int.TryParse(detail.AsSpan(5, colon - 5), NumberStyles.None, CultureInfo.InvariantCulture, out tier))
        {
            return false;
        }
        channels = detail[(colon + 2)..].Split(", ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return true;
    }
}
