using Relay.Core.Cases.Rooms;
using Relay.Core.Homeserver;

namespace Relay.Core.Escalation.Channels;

/// <summary>
/// On every tier change, a notice in the case room: which tier the case is at, why, and when the next step is due; and
/// one line in the moderators' room. Waits (by failing, so the queue retries) until the case room exists. Names no
/// reporter and shows no content: only tier names and times.
/// </summary>
public sealed class CaseRoomNoticeChannel(IMatrixBot bot, CaseAnnouncer announcer, EscalationPolicy policy) : IEscalationChannel
{
    public string Kind => ChannelKinds.CaseRoom;

    public async Task<ChannelOutcome> DeliverAsync(EscalationDelivery delivery, CancellationToken cancellationToken)
    {
        var c = delivery.Case;
        if (c.CaseRoom is not { } room)
        {
            throw new EscalationChannelException("the case room is not open yet");
        }
        var text = Text(delivery);
        await bot.SendMessageAsync(room, CaseTxn.For(c.Id, "tier", delivery.Tier.Number), new MatrixMessage(text), cancellationToken);
        await announcer.AnnounceAsync(c, $"escalated-{delivery.Tier.Number}",
            $"Case {c.Id.Short} escalated to tier {delivery.Tier.Number} ({delivery.Tier.Name})", cancellationToken);
        return new ChannelOutcome.Delivered($"notice in {room}");
    }

    public string Text(EscalationDelivery delivery)
    {
        var c = delivery.Case;
        var tier = delivery.Tier;
        var line = $"⬆️ Escalated to tier {tier.Number} of {policy.Tiers.Count}: {tier.Name}. Why: {delivery.Reason}.";
        if (c.Tier != tier.Number)
        {
            return line + $" The case has since moved to tier {c.Tier}.";
        }
        if (c.NextDueAt is { } due && policy.Tier(tier.Number + 1) is { } next)
        {
            return line + $" Next step: tier {next.Number} ({next.Name}) at {Escalator.Time(due)} unless a moderator acknowledges (✅ or !ack).";
        }
        return line + " No further step is automatic; ⬆️ or !escalate goes further.";
    }
}
