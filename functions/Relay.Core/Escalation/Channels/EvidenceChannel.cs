using System.Security.Cryptography;
using System.Text;
using Relay.Core.Cases;
using Relay.Core.Homeserver;
using Relay.Core.Reports;

namespace Relay.Core.Escalation.Channels;

/// <summary>
/// Preserves the reported event for the authorities: its JSON exactly as the bot fetches it now, the SHA-256 of that JSON,
/// when it was first reported and when the case was escalated, kept for the configured retention. Never media (the bot
/// downloads none), never shown in a room. The first preservation stands; a retry finds it and stops.
/// </summary>
public sealed class EvidenceChannel(IMatrixBot bot, IEvidenceStore evidence, ICaseStore cases, EscalationSettings settings, TimeProvider time)
    : IEscalationChannel
{
    public string Kind => ChannelKinds.Evidence;

    public async Task<ChannelOutcome> DeliverAsync(EscalationDelivery delivery, CancellationToken cancellationToken)
    {
        var c = delivery.Case;
        if (c.Target is not ReportTarget.Event target)
        {
            return new ChannelOutcome.Skipped($"the case is about a {c.Target.Kind.ToString().ToLowerInvariant()}, not an event; there is no event to preserve");
        }
        var existing = (await evidence.GetAsync(c.Id, cancellationToken)).FirstOrDefault(e => e.Item == target.EventId.Value);
        if (existing is not null)
        {
            return new ChannelOutcome.Delivered($"event {existing.Item} already preserved, sha256={existing.Sha256}");
        }
        if (await bot.GetEventJsonAsync(target.RoomId, target.EventId, cancellationToken) is not { } json)
        {
            return new ChannelOutcome.Skipped($"the bot cannot see event {target.EventId} in {target.RoomId} (404); nothing preserved");
        }
        var content = json.ToJsonString();
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
        var now = time.GetUtcNow();
        var reportedAt = (await cases.GetReportsAsync(c.Id, cancellationToken)).Select(r => r.ReceivedAt).DefaultIfEmpty(c.OpenedAt).Min();
        var stored = await evidence.PreserveAsync(new EvidenceItem(c.Id, target.EventId.Value, content, sha, reportedAt, c.UpdatedAt, now,
            now + settings.EvidenceRetention), cancellationToken);
        return new ChannelOutcome.Delivered($"event {stored.Item} preserved, sha256={stored.Sha256}, kept until {Escalator.Time(stored.ExpiresAt)}");
    }
}
