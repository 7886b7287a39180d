using Relay.Core.Cases;
using Relay.Core.Errors;
using Relay.Core.Queue;

namespace Relay.Core.Escalation;

/// <summary>The handler of <c>case.due</c>: the deadline is checked against the stored case; stale ones change nothing.</summary>
public sealed class CaseDueHandler(Escalator escalator) : IQueueHandler
{
    public string Topic => Topics.CaseDue;

    public async Task HandleAsync(QueueDelivery delivery, CancellationToken cancellationToken)
    {
        var due = CaseDue.FromMessage(delivery.Message);
        if (due is null || !CaseId.TryParse(due.CaseId, out var id))
        {
            throw new FormatException($"Message {delivery.Message.Id} carries no valid case_id.");
        }
        await escalator.DeadlineAsync(id, due.Tier, cancellationToken);
    }
}

/// <summary>
/// The handler of <c>escalation.deliver</c>: runs one channel for one tier of one case. A delivery already audited as
/// delivered or skipped is not repeated; every failure is audited (the last one says so) and thrown, so the queue retries
/// and finally dead-letters it: nothing is lost silently.
/// </summary>
public sealed class DeliverEscalation(
    ICaseStore cases,
    ICaseWriteStore writes,
    EscalationPolicy policy,
    IEnumerable<IEscalationChannel> channels,
    TimeProvider time) : IQueueHandler
{
    private readonly Dictionary<string, IEscalationChannel> _channels = channels.ToDictionary(c => c.Kind, StringComparer.Ordinal);

    public string Topic => Topics.EscalationDeliver;

    public async Task HandleAsync(QueueDelivery delivery, CancellationToken cancellationToken)
    {
        var body = EscalationDeliver.FromMessage(delivery.Message);
        if (body is null || !CaseId.TryParse(body.CaseId, out var id))
        {
            throw new FormatException($"Message {delivery.Message.Id} carries no valid case_id.");
        }
        if (await cases.GetCaseAsync(id, cancellationToken) is not { } c)
        {
            return;
        }
        var label = $"{body.Channel} tier {body.Tier}";
        var audit = await cases.GetAuditAsync(id, cancellationToken);
        if (audit.Any(a => a.Action is "escalation.delivered" or "escalation.skipped" && a.Detail?.StartsWith(label + ":", StringComparison.Ordinal) == true))
        {
            return;
        }
        if (policy.Tier(body.Tier) is not { } tier || !_channels.TryGetValue(body.Channel, out var channel))
        {
            await AuditAsync(id, "escalation.skipped", $"{label}: the policy or build no longer has this tier or channel");
            return;
        }
        if (Refusal(c, tier, body.Channel) is { } refusal)
        {
            await AuditAsync(id, "escalation.skipped", $"{label}: {refusal}");
            return;
        }
        var stepPrefix = $"{label}: ";
        var done = audit.Where(a => a.Action == "escalation.step" && a.Detail?.StartsWith(stepPrefix, StringComparison.Ordinal) == true)
            .Select(a => a.Detail![stepPrefix.Length..]).ToHashSet(StringComparer.Ordinal);
        var context = new EscalationDelivery(c, tier, body.Channel, body.Reason, delivery.DeliveryCount, done,
            (step, ct) => writes.AppendAuditAsync([new AuditEntry(id, time.GetUtcNow(), AuditEntry.System, "escalation.step", stepPrefix + step)], ct));
        ChannelOutcome outcome;
        try
        {
            outcome = await channel.DeliverAsync(context, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var last = delivery.IsLastAttempt ? "; that was the last attempt, the message is dead-lettered" : "; it will be retried";
            await AuditAsync(id, "escalation.failed", $"{label}, attempt {delivery.DeliveryCount}: {Describe(e)}{last}");
            throw;
        }
        switch (outcome)
        {
            case ChannelOutcome.Delivered delivered:
                await AuditAsync(id, "escalation.delivered", $"{label}: {delivered.Detail}");
                break;
            case ChannelOutcome.Skipped skipped:
                await AuditAsync(id, "escalation.skipped", $"{label}: {skipped.Why}");
                break;
        }
    }

    /// <summary>
    /// The stored case must have reached the tier, the tier must list the channel (the case-room notice goes with every
    /// tier), and the case must still be open: a message that was queued before the case closed, or one that was never
    /// queued by Relay at all, sends nothing.
    /// </summary>
    private static string? Refusal(Case c, EscalationTier tier, string channel) =>
        c.Tier < tier.Number ? $"the case is at tier {c.Tier} and never reached tier {tier.Number}"
        : channel != ChannelKinds.CaseRoom && !tier.Channels.Contains(channel) ? $"tier {tier.Number} does not list this channel"
        : !c.State.IsOpen() ? $"the case is {c.State.ToString().ToLowerInvariant()}"
        : null;

    private Task AuditAsync(CaseId id, string action, string detail) =>
        writes.AppendAuditAsync([new AuditEntry(id, time.GetUtcNow(), AuditEntry.System, action, detail)], CancellationToken.None);

    /// <summary>Words fit for the audit trail: channel errors are written for it; others by type only (they may hold anything).</summary>
    private static string Describe(Exception e) => e switch
    {
        EscalationChannelException channel => channel.Message,
        CyberTiplineException tipline => tipline.Message,
        MatrixException matrix => $"{matrix.Error.ErrCode} ({matrix.Error.Status}): {matrix.Error.Message}",
        _ => e.GetType().Name,
    };
}
