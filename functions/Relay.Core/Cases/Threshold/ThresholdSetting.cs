using System.Text.Json.Nodes;

namespace Relay.Core.Cases.Threshold;

/// <summary>
/// The report threshold of a protected room: the state event <c>org.relay.report_threshold</c> (state key <c>""</c>)
/// with content <c>{"reporters": N}</c>, sent in the protected room by one of its moderators. A state event because only
/// someone with the power to send state there can set it, every client can show and change it, and the bot reads it
/// from the room when an event reaches two reporters (a read serves 30 s; a change the bot sees is read again at once),
/// so nothing is stored.
/// </summary>
public static class ThresholdSetting
{
    public const string EventType = "org.relay.report_threshold";

    /// <summary>
    /// One reporter is never enough: with N = 1 any member could hide any message on their own, which is a moderator's
    /// power handed to everyone (and to every sock puppet's first account).
    /// </summary>
    public const int Minimum = 2;

    /// <summary>Above this the rule would never fire in a community-sized room; a larger value is taken as a mistake.</summary>
    public const int Maximum = 100;

    /// <summary>N, or null when the rule is off: no such state, no <c>reporters</c>, or a value outside 2–100 (a typo must not hide messages).</summary>
    public static int? Parse(JsonObject? content) =>
        content?["reporters"] is JsonValue value && value.TryGetValue<int>(out var n) && n is >= Minimum and <= Maximum ? n : null;
}
