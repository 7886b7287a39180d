using System.Globalization;
using System.Text.Json.Nodes;
using Relay.Core.Escalation;
using Relay.Core.Identifiers;

namespace Relay.Core.Cases.Threshold;

/// <summary>
/// An event the threshold rule hid, as the bot kept it before redacting (the case's evidence item, its JSON as fetched):
/// who sent it, when, and its text. <see cref="Body"/> is report content: shown to moderators or re-posted on their word,
/// never logged.
/// </summary>
public sealed record KeptEvent(RoomId RoomId, EventId EventId, UserId Sender, DateTimeOffset SentAt, string? MsgType, string? Body)
{
    /// <summary>Only text is re-posted: an image's body is its file name, and media is never kept.</summary>
    public bool IsText => MsgType is "m.text" or "m.notice" or "m.emote" && !string.IsNullOrEmpty(Body);

    /// <summary>The kept event of <paramref name="item"/> (its item is the event ID), or null when it holds no event of that room.</summary>
    public static KeptEvent? From(EvidenceItem item, RoomId room)
    {
        try
        {
            if (JsonNode.Parse(item.Content) is not JsonObject json
                || !EventId.TryParse(item.Item, out var id)
                || !UserId.TryParse((string?)json["sender"], out var sender))
            {
                return null;
            }
            var sent = json["origin_server_ts"] is JsonValue ts && ts.TryGetValue<long>(out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : item.ReportedAt;
            var content = json["content"] as JsonObject;
            return new KeptEvent(room, id, sender, sent, Str(content, "msgtype"), Str(content, "body"));
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>When it was sent, as moderators and members read it.</summary>
    public string SentAtText => SentAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string? Str(JsonObject? obj, string name) =>
        obj?[name] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
}
