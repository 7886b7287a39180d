using Relay.Core.Cases.Rooms;

namespace Relay.Core.Cases.Actions;

/// <summary>The one list of moderator actions, and lookups by reaction key and by command word.</summary>
public static class CaseActions
{
    public static IReadOnlyList<ICaseAction> All { get; } =
    [
        new AcknowledgeAction(),
        new RedactAction(),
        new KickAction(),
        new BanAction(),
        new PolicyBanAction(),
        new ClearRaidAction(),
        new RestoreAction(),
        new EscalateAction(),
        new DismissAction(),
        new ResolveAction(),
    ];

    /// <summary>The actions that can do something for <paramref name="c"/>: what the summary and the dashboard offer.</summary>
    public static IReadOnlyList<ICaseAction> For(Case c, CaseRoomSettings settings) => [.. All.Where(a => a.AppliesTo(c, settings))];

    /// <summary>Reaction keys compare without emoji variation selectors (U+FE0F), which clients add or drop.</summary>
    public static ICaseAction? ByEmoji(string key)
    {
        var bare = Bare(key);
        return All.FirstOrDefault(a => a.Emoji is { } emoji && Bare(emoji) == bare);
    }

    public static ICaseAction? ByCommand(string word) =>
        All.FirstOrDefault(a => string.Equals(a.Command, word, StringComparison.OrdinalIgnoreCase));

    private static string Bare(string key) => key.Replace("\uFE0F", "", StringComparison.Ordinal).Trim();
}
