namespace Relay.Core.Cases.Threshold;

/// <summary>What the threshold rule does with one reported event.</summary>
public enum ThresholdVerdict
{
    /// <summary>The room has no (valid) threshold: the rule is off, as it is by default.</summary>
    Off,

    /// <summary>Fewer distinct reporters than the threshold.</summary>
    Below,

    /// <summary>Hidden already (by an earlier delivery): nothing to do again.</summary>
    AlreadyHidden,

    /// <summary>The sender moderates the room: reports about a moderator's message wait for the other moderators.</summary>
    SenderIsModerator,

    /// <summary>Keep the text with the case, redact the event, tell the moderators.</summary>
    Hide,
}

/// <summary>
/// The rule itself, with no I/O: an event is hidden once its distinct reporters (self-reports aside, a reporter counted
/// once however often they report, see <see cref="ReportedEvent.Reporters"/>) reach the room's threshold.
/// </summary>
public static class ThresholdDecision
{
    public static ThresholdVerdict Decide(ReportedEvent reported, int? threshold, bool alreadyHidden, bool senderIsModerator) =>
        threshold switch
        {
            null => ThresholdVerdict.Off,
            { } n when reported.Reporters < n => ThresholdVerdict.Below,
            _ when alreadyHidden => ThresholdVerdict.AlreadyHidden,
            _ when senderIsModerator => ThresholdVerdict.SenderIsModerator,
            _ => ThresholdVerdict.Hide,
        };
}
