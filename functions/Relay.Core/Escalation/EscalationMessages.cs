using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Relay.Core.Cases;
using Relay.Core.Queue;

namespace Relay.Core.Escalation;

/// <summary>
/// Body of <see cref="Topics.CaseDue"/>: the deadline of <see cref="Tier"/> of a case. Its id is deterministic per case
/// and tier, so a deadline scheduled twice (or re-queued by the sweep) is one message, and any that fires late,
/// early or twice is checked against the stored case and changes nothing.
/// </summary>
public sealed record CaseDue(
    [property: JsonPropertyName("case_id")] string CaseId,
    [property: JsonPropertyName("tier")] int Tier)
{
    public static string MessageId(CaseId id, int tier) =>
        $"{Topics.CaseDue}:{id.Value}:{tier.ToString(CultureInfo.InvariantCulture)}";

    public static QueueMessage ToMessage(CaseId id, int tier, DateTimeOffset? notBefore) =>
        new(MessageId(id, tier), Topics.CaseDue,
            JsonSerializer.Serialize(new CaseDue(id.Value, tier), EscalationMessageJsonContext.Default.CaseDue), notBefore);

    public static CaseDue? FromMessage(QueueMessage message) =>
        JsonSerializer.Deserialize(message.Body, EscalationMessageJsonContext.Default.CaseDue);
}

/// <summary>
/// Body of <see cref="Topics.EscalationDeliver"/>: one channel of one tier of one case. Deterministic ids, so the same
/// delivery is never queued twice; <see cref="Reason"/> is Relay's own words (never a reporter's).
/// </summary>
public sealed record EscalationDeliver(
    [property: JsonPropertyName("case_id")] string CaseId,
    [property: JsonPropertyName("tier")] int Tier,
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("reason")] string Reason)
{
    public static string DeliveryId(CaseId id, int tier, string channel) =>
        $"{id.Value}:{tier.ToString(CultureInfo.InvariantCulture)}:{channel}";

    public static QueueMessage ToMessage(CaseId id, int tier, string channel, string reason) =>
        new($"{Topics.EscalationDeliver}:{DeliveryId(id, tier, channel)}", Topics.EscalationDeliver,
            JsonSerializer.Serialize(new EscalationDeliver(id.Value, tier, channel, reason), EscalationMessageJsonContext.Default.EscalationDeliver));

    public static EscalationDeliver? FromMessage(QueueMessage message) =>
        JsonSerializer.Deserialize(message.Body, EscalationMessageJsonContext.Default.EscalationDeliver);
}

[JsonSerializable(typeof(CaseDue))]
[JsonSerializable(typeof(EscalationDeliver))]
[JsonSerializable(typeof(EscalationNotice))]
internal sealed partial class EscalationMessageJsonContext : JsonSerializerContext;
