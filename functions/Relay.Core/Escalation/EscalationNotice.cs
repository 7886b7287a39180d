using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Relay.Core.Reports;

namespace Relay.Core.Escalation;

/// <summary>
/// What leaves the community about a case (webhook JSON, and the facts of mails and DMs): IDs, the category, counts and
/// times. Never a reporter, never a reason (reporters write those), never content or media.
/// </summary>
public sealed record EscalationNotice(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("delivery_id")] string DeliveryId,
    [property: JsonPropertyName("case_id")] string CaseId,
    [property: JsonPropertyName("tier")] int Tier,
    [property: JsonPropertyName("tier_name")] string TierName,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("category")] string? Category,
    [property: JsonPropertyName("child_safety")] bool ChildSafety,
    [property: JsonPropertyName("target")] NoticeTarget Target,
    [property: JsonPropertyName("distinct_reporters")] int DistinctReporters,
    [property: JsonPropertyName("opened_at")] DateTimeOffset OpenedAt,
    [property: JsonPropertyName("sent_at")] DateTimeOffset SentAt,
    [property: JsonPropertyName("community")] string Community)
{
    public const string EventType = "relay.escalation";

    public static EscalationNotice For(EscalationDelivery delivery, string community, DateTimeOffset now)
    {
        var c = delivery.Case;
        var target = c.Target switch
        {
            ReportTarget.Event e => new NoticeTarget("event", e.RoomId.Value, e.EventId.Value, e.EventType, e.Sender.Value, e.Sender.Server),
            ReportTarget.RoomTarget { Inviter: { } inviter } r =>
                new NoticeTarget("invite", r.RoomId.Value, null, null, inviter.Value, inviter.Server),
            ReportTarget.RoomTarget r => new NoticeTarget("room", r.RoomId.Value, null, null, null, null),
            ReportTarget.UserTarget u => new NoticeTarget("user", null, null, null, u.UserId.Value, u.UserId.Server),
            _ => throw new ArgumentOutOfRangeException(nameof(delivery), "unknown target"),
        };
        return new EscalationNotice(EventType, delivery.Id, c.Id.Value, delivery.Tier.Number, delivery.Tier.Name, delivery.Reason,
            c.Category?.Id, c.Category is { IsChildSafety: true }, target, c.ReporterCount, c.OpenedAt, now, community);
    }

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, EscalationMessageJsonContext.Default.EscalationNotice);

    public string Subject => $"[Relay] Abuse report {CaseId[^8..]}: {HarmCategory.LabelOf(Category)} on Matrix";

    /// <summary>The plain-text body of mails and DMs.</summary>
    public string Text(string? intro = null)
    {
        var text = new StringBuilder();
        text.Append(intro ?? $"The Matrix community {Community} escalated a report to you ({TierName}) through Relay.").Append("\n\n");
        Line("Case", CaseId);
        Line("Category", Category is null ? HarmCategory.NoneLabel : $"{HarmCategory.LabelOf(Category)} ({Category})");
        Line("Target", Target.Kind);
        Line("Room", Target.RoomId);
        Line("Event", Target.EventId is null ? null : $"{Target.EventId} ({Target.EventType})");
        Line("Reported user", Target.UserId);
        Line("Distinct reporters", DistinctReporters.ToString(CultureInfo.InvariantCulture));
        Line("First reported", OpenedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        Line("Why now", Reason);
        text.Append('\n');
        text.Append(ChildSafety
            ? "This is a child-safety report. No content or media is included, and none was downloaded or forwarded. "
              + "The reported event is preserved by the community for law enforcement.\n"
            : "No content or media is included. Reporters are not named.\n");
        return text.ToString();

        void Line(string name, string? value)
        {
            if (value is not null)
            {
                text.Append(name).Append(": ").Append(value).Append('\n');
            }
        }
    }
}

public sealed record NoticeTarget(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("room_id")] string? RoomId,
    [property: JsonPropertyName("event_id")] string? EventId,
    [property: JsonPropertyName("event_type")] string? EventType,
    [property: JsonPropertyName("user_id")] string? UserId,
    [property: JsonPropertyName("user_server")] string? UserServer);
