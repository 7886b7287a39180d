using System.Text.Json.Nodes;
using Relay.Core.Identifiers;
using Relay.Core.Moderation;

namespace Relay.Core.Cases.Rooms;

/// <summary>
/// Who moderates a reported room, from its state as the bot read it. Pure, so every power-level shape is a unit test.
/// </summary>
public static class RoomModerators
{
    /// <summary>
    /// MSC4226's <c>m.report_moderators</c> (state key ""), under its unstable prefix. Its <c>reporters</c>
    /// array of user IDs replaces the power-level rule when present.
    /// </summary>
    public const string OverrideEventType = "org.matrix.msc4226.report_moderators";

    /// <summary>MSC4226's <c>m.report</c> room type, under its unstable prefix.</summary>
    public const string ReportRoomType = "org.matrix.msc4226.report";

    /// <summary>
    /// The override's users if it names any; otherwise the joined members the moderator rule accepts.
    /// The bot is never a moderator of a case, nor is the reported user, whom each case takes out
    /// (<see cref="ModeratorSet.Without"/>): one read serves every case about the room. Sorted, so invites run in a stable order.
    /// </summary>
    public static ModeratorSet Select(RoomCreateFacts create, JsonObject? powerLevels, JsonObject? overrideContent,
        IEnumerable<UserId> joinedMembers, UserId bot)
    {
        bool Eligible(UserId user) => user != bot;
        if (OverrideUsers(overrideContent) is { } named)
        {
            return new ModeratorSet(Sorted(named.Where(Eligible)), ModeratorSource.RoomOverride);
        }
        var moderators = joinedMembers.Where(user => Eligible(user) && ModeratorRule.IsModerator(user, create, powerLevels));
        return new ModeratorSet(Sorted(moderators), ModeratorSource.PowerLevels);
    }

    /// <summary>The valid user IDs of the override's <c>reporters</c> array; null when the event or the array is missing.</summary>
    public static IReadOnlyList<UserId>? OverrideUsers(JsonObject? overrideContent)
    {
        if (overrideContent?["reporters"] is not JsonArray list)
        {
            return null;
        }
        var users = new List<UserId>();
        foreach (var item in list)
        {
            if (item is JsonValue value && value.TryGetValue<string>(out var raw) && UserId.TryParse(raw, out var user))
            {
                users.Add(user);
            }
        }
        return users;
    }

    private static List<UserId> Sorted(IEnumerable<UserId> users) =>
        [.. users.Distinct().OrderBy(u => u.Value, StringComparer.Ordinal)];
}
