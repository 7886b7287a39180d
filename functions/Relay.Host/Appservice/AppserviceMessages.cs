using System.Text.Json;
using System.Text.Json.Serialization;
using Relay.Core.Queue;

namespace Relay.Host.Appservice;

/// <summary>Queue topics of the appservice: the slow work a transaction leaves for later.</summary>
public static class AppserviceTopics
{
    /// <summary>The bot was invited: check the inviter, then join and protect, or decline.</summary>
    public const string BotInvited = "appservice.invite";

    /// <summary>An in-Matrix report was handled: redact the 🚩 or !report, tell the reporter in a DM.</summary>
    public const string ReportFollowUp = "appservice.report-followup";
}

public sealed record BotInvited(
    [property: JsonPropertyName("room_id")] string RoomId,
    [property: JsonPropertyName("inviter")] string Inviter,
    [property: JsonPropertyName("invite_event_id")] string InviteEventId,
    [property: JsonPropertyName("is_direct")] bool IsDirect,
    [property: JsonPropertyName("stripped_state_refuses")] bool StrippedStateRefuses)
{
    public QueueMessage ToMessage() =>
        new($"{AppserviceTopics.BotInvited}:{InviteEventId}", AppserviceTopics.BotInvited,
            JsonSerializer.Serialize(this, AppserviceJsonContext.Default.BotInvited));

    public static BotInvited? From(QueueMessage message) =>
        JsonSerializer.Deserialize(message.Body, AppserviceJsonContext.Default.BotInvited);
}

/// <summary>
/// What to do after an in-Matrix report. <see cref="Problem"/> says why no report was filed, when none was;
/// <see cref="ReplyRoomId"/> is the DM the report came in, when it came by DM.
/// </summary>
public sealed record ReportFollowUp(
    [property: JsonPropertyName("room_id")] string RoomId,
    [property: JsonPropertyName("trigger_event_id")] string TriggerEventId,
    [property: JsonPropertyName("reporter")] string Reporter,
    [property: JsonPropertyName("redact")] bool Redact,
    [property: JsonPropertyName("case_id")] string? CaseId,
    [property: JsonPropertyName("problem")] string? Problem,
    [property: JsonPropertyName("reply_room_id")] string? ReplyRoomId)
{
    public QueueMessage ToMessage() =>
        new($"{AppserviceTopics.ReportFollowUp}:{TriggerEventId}", AppserviceTopics.ReportFollowUp,
            JsonSerializer.Serialize(this, AppserviceJsonContext.Default.ReportFollowUp));

    public static ReportFollowUp? From(QueueMessage message) =>
        JsonSerializer.Deserialize(message.Body, AppserviceJsonContext.Default.ReportFollowUp);
}

[JsonSerializable(typeof(BotInvited))]
[JsonSerializable(typeof(ReportFollowUp))]
internal sealed partial class AppserviceJsonContext : JsonSerializerContext;
