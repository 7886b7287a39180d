using Relay.Core.Cases;

namespace Relay.Core.Escalation;

/// <summary>
/// One way of reaching the people of a tier (see <see cref="ChannelKinds"/>); one adapter per kind. Called once per
/// <c>escalation.deliver</c> delivery, so it may run again after a failure: use <see cref="EscalationDelivery.IsDone"/> and
/// <see cref="EscalationDelivery.RecordStepAsync"/> for anything with several recipients, and deterministic ids
/// (txnIds, Message-Ids, delivery ids) so receivers can drop repeats. Throw on failure (an
/// <see cref="EscalationChannelException"/> with words fit for the audit trail); the queue retries and the failure is audited.
/// </summary>
public interface IEscalationChannel
{
    string Kind { get; }

    Task<ChannelOutcome> DeliverAsync(EscalationDelivery delivery, CancellationToken cancellationToken);
}

/// <summary>What a channel did with a delivery.</summary>
public abstract record ChannelOutcome
{
    private ChannelOutcome()
    {
    }

    /// <summary>Sent; <see cref="Detail"/> (recipients, a report id) goes to the audit trail.</summary>
    public sealed record Delivered(string Detail) : ChannelOutcome;

    /// <summary>Nothing to send, for good (not configured, no contacts published, not applicable to the category).</summary>
    public sealed record Skipped(string Why) : ChannelOutcome;
}

/// <summary>A channel failed. The message is written to the audit trail: no secrets, no report content.</summary>
public sealed class EscalationChannelException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>One delivery: the case as stored now, the tier, why it was escalated, and the steps already done.</summary>
public sealed class EscalationDelivery(
    Case c,
    EscalationTier tier,
    string kind,
    string reason,
    int attempt,
    IReadOnlySet<string> doneSteps,
    Func<string, CancellationToken, Task> recordStep)
{
    public Case Case => c;

    public EscalationTier Tier => tier;

    public string Kind => kind;

    public string Reason => reason;

    /// <summary>1 for the first delivery of the message, then counting up with each retry.</summary>
    public int Attempt => attempt;

    /// <summary>Stable across retries: <c>{case}:{tier}:{channel}</c>; sent as the webhook delivery id.</summary>
    public string Id => EscalationDeliver.DeliveryId(c.Id, tier.Number, kind);

    public bool IsDone(string step) => doneSteps.Contains(step);

    /// <summary>Records (in the audit trail) that <paramref name="step"/> happened, so a retry skips it.</summary>
    public Task RecordStepAsync(string step, CancellationToken cancellationToken) => recordStep(step, cancellationToken);
}
