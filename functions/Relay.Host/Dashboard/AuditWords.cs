using Relay.Core.Cases;

namespace Relay.Host.Dashboard;

/// <summary>
/// An audit line as a sentence a moderator reads ("@alice:example.org acknowledged the case"), rather than its machine form
/// (<c>action.ack trigger=dashboard-…</c>), which stays in the CLI and the export.
/// </summary>
public static class AuditWords
{
    private static readonly Dictionary<string, string> Done = new(StringComparer.Ordinal)
    {
        ["ack"] = "acknowledged the case",
        ["redact"] = "had the message redacted",
        ["kick"] = "had the user kicked from the room",
        ["ban"] = "had the user banned from the room",
        ["policy-ban"] = "added a ban of the user to the policy list",
        ["escalate"] = "escalated the case",
        ["dismiss"] = "dismissed the case",
        ["resolve"] = "resolved the case",
    };

    public static string Sentence(AuditEntry line)
    {
        var who = Actor(line.Actor);
        var detail = WithoutTrigger(line.Detail);
        var (kind, what) = Split(line.Action);
        return kind switch
        {
            "action" when Done.TryGetValue(what, out var done) =>
                $"{who} {done}" + (what == "resolve" && detail.StartsWith("resolved: ", StringComparison.Ordinal) ? $" (note: {detail["resolved: ".Length..]})" : ""),
            "action" when what == "refused" => $"{who} tried to act ({Command(detail)}) without moderating the room now; nothing was done",
            "action" when what == "rejected" => $"{who} asked for {Command(detail)}, which the case's state did not allow",
            "action" when what == "failed" => $"{who} asked for {Command(detail)}, but the homeserver refused ({After(detail)})",
            "action" when what == "not_applicable" => $"{who} asked for {detail}, which does not apply to this case",
            "case" when what == "opened" => "The case was opened",
            "case" => $"The case is now {what}" + (detail.Length > 0 ? $" ({detail})" : ""),
            "report" when what == "filed" => "A report came in" + Source(detail),
            "case_room" when what == "opened" => "Relay opened the case room",
            "summary" when what == "posted" => "Relay posted the summary in the case room",
            "summary" when what == "edited" => "Relay updated the summary (more reporters)",
            _ => $"{who}: {line.Action.Replace('.', ' ').Replace('_', ' ')}" + (detail.Length > 0 ? $" ({detail})" : ""),
        };
    }

    private static string Actor(string actor) => actor switch
    {
        AuditEntry.System => "Relay",
        _ when actor.StartsWith("reporter:", StringComparison.Ordinal) => "A reporter",
        _ when actor.StartsWith("operator:", StringComparison.Ordinal) => "The operator " + actor["operator:".Length..],
        _ => actor,
    };

    private static (string Kind, string What) Split(string action)
    {
        var dot = action.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? (action, "") : (action[..dot], action[(dot + 1)..]);
    }

    /// <summary>The trigger (a reaction's event ID, a dashboard form's id) makes actions idempotent; it means nothing to a reader.</summary>
    private static string WithoutTrigger(string? detail)
    {
        var text = detail ?? "";
        var at = text.IndexOf("trigger=", StringComparison.Ordinal);
        return (at < 0 ? text : text[..at]).Trim();
    }

    private static string Command(string detail)
    {
        var colon = detail.IndexOf(':', StringComparison.Ordinal);
        return "!" + (colon < 0 ? detail : detail[..colon]);
    }

    private static string After(string detail)
    {
        var colon = detail.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? detail : detail[(colon + 1)..].Trim();
    }

    private static string Source(string detail)
    {
        var source = detail.Split(' ').FirstOrDefault(p => p.StartsWith("source=", StringComparison.Ordinal))?["source=".Length..];
        return source switch
        {
            null => "",
            "WebForm" => " through the web form",
            "Reaction" => " by a 🚩 reaction",
            "Command" => " by !report",
            "DirectMessage" => " by a DM to the bot",
            _ => " from a Matrix client",
        };
    }
}
