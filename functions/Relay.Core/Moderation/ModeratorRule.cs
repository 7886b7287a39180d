using System.Globalization;
using System.Text.Json.Nodes;
using Relay.Core.Identifiers;

namespace Relay.Core.Moderation;

/// <summary>
/// Who moderates a room: members whose power level reaches both the <c>kick</c> and the <c>ban</c>
/// level of <c>m.room.power_levels</c> (each 50 when absent), and in room version 12 the creators, whose
/// power is infinite. Without a power-levels event the creator has 100 and everyone else 0.
/// Pure: the caller fetches the state (as the bot) and passes it in.
/// </summary>
public static class ModeratorRule
{
    public const long DefaultKickBan = 50;

    private const long CreatorWithoutPowerLevels = 100;

    public static bool IsModerator(UserId user, RoomCreateFacts create, JsonObject? powerLevels)
    {
        if (PowerLevelOf(user, create, powerLevels) is not { } level)
        {
            return true;
        }
        return level >= Level(powerLevels, "kick", DefaultKickBan) && level >= Level(powerLevels, "ban", DefaultKickBan);
    }

    /// <summary>The user's power level; null for infinite (a room-version-12 creator).</summary>
    public static long? PowerLevelOf(UserId user, RoomCreateFacts create, JsonObject? powerLevels)
    {
        var isCreator = create.Creators.Contains(user);
        if (isCreator && create.CreatorsArePrivileged)
        {
            return null;
        }
        if (powerLevels is null)
        {
            return isCreator ? CreatorWithoutPowerLevels : 0;
        }
        if (powerLevels["users"] is JsonObject users && users.TryGetPropertyValue(user.Value, out var own)
            && TryReadLevel(own, out var level))
        {
            return level;
        }
        return Level(powerLevels, "users_default", 0);
    }

    private static long Level(JsonObject? powerLevels, string name, long fallback) =>
        powerLevels is not null && powerLevels.TryGetPropertyValue(name, out var node) && TryReadLevel(node, out var level)
            ? level
            : fallback;

    /// <summary>Integers; before room version 10 the spec also allowed integers written as strings.</summary>
    private static bool TryReadLevel(JsonNode? node, out long level)
    {
        level = 0;
        if (node is not JsonValue value)
        {
            return false;
        }
        if (value.TryGetValue<long>(out level))
        {
            return true;
        }
        if (value.TryGetValue<int>(out var i))
        {
            level = i;
            return true;
        }
        if (value.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < 1e15)
        {
            level = (long)d;
            return true;
        }
        return value.TryGetValue<string>(out var s)
            && long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out level);
    }
}
