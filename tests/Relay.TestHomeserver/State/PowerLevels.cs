using System.Text.Json.Nodes;

namespace Relay.TestHomeserver.State;

/// <summary>Power checks per the m.room.power_levels defaults in the spec.</summary>
internal static class PowerLevels
{
    public const long Infinite = long.MaxValue;

    public static JsonObject Default(string creator, bool privilegedCreators) => new()
    {
        ["users"] = privilegedCreators ? new JsonObject() : new JsonObject { [creator] = 100 },
        ["users_default"] = 0,
        ["events"] = new JsonObject
        {
            ["m.room.name"] = 50,
            ["m.room.power_levels"] = 100,
            ["m.room.history_visibility"] = 100,
            ["m.room.canonical_alias"] = 50,
            ["m.room.avatar"] = 50,
            ["m.room.tombstone"] = 100,
            ["m.room.server_acl"] = 100,
            ["m.room.encryption"] = 100,
        },
        ["events_default"] = 0,
        ["state_default"] = 50,
        ["ban"] = 50,
        ["kick"] = 50,
        ["redact"] = 50,
        ["invite"] = 0,
    };

    public static long UserLevel(Room room, string userId)
    {
        var creators = room.Creators();
        if (room.HasPrivilegedCreators && creators.Contains(userId))
        {
            return Infinite;
        }

        var content = Content(room);
        if (content is null)
        {
            return creators.Contains(userId) ? 100 : 0;
        }

        return Integer(content["users"]?[userId]) ?? Integer(content["users_default"]) ?? 0;
    }

    /// <summary>Level needed for "kick", "ban", "redact" or "invite".</summary>
    public static long ActionLevel(Room room, string action)
    {
        var fallback = action == "invite" ? 0 : 50;
        return Integer(Content(room)?[action]) ?? fallback;
    }

    public static long EventLevel(Room room, string type, bool isState)
    {
        var content = Content(room);
        if (content is null)
        {
            return 0;
        }

        return Integer(content["events"]?[type])
            ?? (isState ? Integer(content["state_default"]) ?? 50 : Integer(content["events_default"]) ?? 0);
    }

    private static JsonObject? Content(Room room) => room.StateEvent("m.room.power_levels", "")?["content"] as JsonObject;

    private static long? Integer(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.Number
        && long.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : null;
}
