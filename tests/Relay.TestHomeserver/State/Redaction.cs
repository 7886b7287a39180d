using System.Text.Json.Nodes;

namespace Relay.TestHomeserver.State;

/// <summary>The redaction algorithm (content keys kept per event type, room v11 rules; creator kept before v11).</summary>
internal static class Redaction
{
    private static readonly Dictionary<string, string[]> KeptContent = new(StringComparer.Ordinal)
    {
        ["m.room.member"] = ["membership", "join_authorised_via_users_server"],
        ["m.room.join_rules"] = ["join_rule", "allow"],
        ["m.room.power_levels"] = ["ban", "events", "events_default", "invite", "kick", "redact", "state_default", "users", "users_default"],
        ["m.room.history_visibility"] = ["history_visibility"],
        ["m.room.redaction"] = ["redacts"],
    };

    public static void Apply(JsonObject target, JsonObject redaction, string roomVersion)
    {
        var type = (string)target["type"]!;
        var content = target["content"] as JsonObject ?? [];
        JsonObject kept = [];
        if (type == "m.room.create")
        {
            kept = RoomVersions.HasCreatorField(roomVersion)
                ? content.TryGetPropertyValue("creator", out var creator) ? new JsonObject { ["creator"] = creator?.DeepClone() } : []
                : content.DeepClone().AsObject();
        }
        else if (KeptContent.TryGetValue(type, out var keys))
        {
            foreach (var key in keys.Where(content.ContainsKey))
            {
                kept[key] = content[key]?.DeepClone();
            }
        }

        target["content"] = kept;
        var unsigned = target["unsigned"] as JsonObject ?? [];
        unsigned["redacted_because"] = redaction.DeepClone();
        target["unsigned"] = unsigned;
    }
}
