namespace Relay.Core.Cases;

/// <summary>What a moderator, an operator or the escalation policy asks of a case.</summary>
public enum CaseTrigger
{
    /// <summary>✅ / !ack: a moderator has seen it.</summary>
    Acknowledge,

    /// <summary>Redact, kick, ban, policy ban: a moderator acted on the target.</summary>
    Enforce,

    /// <summary>⬆️ / !escalate, a policy trigger (category, reporter threshold) or an operator: up the tiers of the policy.</summary>
    Escalate,

    /// <summary>A tier's deadline passed with nobody acknowledging: the next tier of the policy.</summary>
    Deadline,

    /// <summary>❎ / !dismiss: nothing to act on.</summary>
    Dismiss,

    /// <summary>!resolve: dealt with.</summary>
    Resolve,

    /// <summary>!restore: a message the report threshold hid is given back to the room.</summary>
    Restore,
}

/// <summary>The answer of <see cref="CaseWorkflow.Transition"/>: every (state, trigger) pair has one.</summary>
public abstract record TransitionOutcome
{
    private TransitionOutcome()
    {
    }

    /// <summary>The trigger is allowed and moves the case to <see cref="To"/>.</summary>
    public sealed record Moves(CaseState To) : TransitionOutcome;

    /// <summary>The trigger is allowed and the case stays where it is (recorded, confirmed).</summary>
    public sealed record Stays : TransitionOutcome;

    /// <summary>The trigger is not allowed in this state; <see cref="Reason"/> is told to the moderator.</summary>
    public sealed record Refused(string Reason) : TransitionOutcome;
}

/// <summary>
/// The case state machine: Open → Acknowledged → Resolved | Dismissed, with Escalated (at a tier, <see cref="Case.Tier"/>)
/// along the way.
/// One function, an explicit outcome for every pair, no exceptions.
/// </summary>
public static class CaseWorkflow
{
    private static readonly TransitionOutcome Stay = new TransitionOutcome.Stays();

    public static TransitionOutcome Transition(CaseState state, CaseTrigger trigger) => (state, trigger) switch
    {
        // Giving back a message the threshold hid says nothing about the case, so it is allowed in every state: a case
        // dismissed as nothing to act on is exactly the one whose hidden message should come back.
        (_, CaseTrigger.Restore) => Stay,

        (CaseState.Resolved or CaseState.Dismissed, _) =>
            new TransitionOutcome.Refused($"This case is already {state.ToString().ToLowerInvariant()}; a new report opens a new case."),

        (CaseState.Open, CaseTrigger.Acknowledge) => new TransitionOutcome.Moves(CaseState.Acknowledged),
        (CaseState.Acknowledged, CaseTrigger.Acknowledge) => new TransitionOutcome.Refused("This case is already acknowledged."),
        (CaseState.Escalated, CaseTrigger.Acknowledge) => new TransitionOutcome.Moves(CaseState.Acknowledged),

        // Acting on the target is the strongest acknowledgement there is.
        (CaseState.Open, CaseTrigger.Enforce) => new TransitionOutcome.Moves(CaseState.Acknowledged),
        (CaseState.Acknowledged or CaseState.Escalated, CaseTrigger.Enforce) => Stay,

        // Escalating moves up the policy's tiers (which tier is the policy's business); an acknowledged case may
        // still be escalated by hand, and then its ladder runs again from the new tier.
        (CaseState.Open or CaseState.Acknowledged, CaseTrigger.Escalate) => new TransitionOutcome.Moves(CaseState.Escalated),
        (CaseState.Escalated, CaseTrigger.Escalate) => Stay,

        // A deadline only moves a case nobody has acknowledged: acknowledging stops the ladder.
        (CaseState.Open, CaseTrigger.Deadline) => new TransitionOutcome.Moves(CaseState.Escalated),
        (CaseState.Escalated, CaseTrigger.Deadline) => Stay,
        (CaseState.Acknowledged, CaseTrigger.Deadline) =>
            new TransitionOutcome.Refused("This case is acknowledged, so its deadlines no longer escalate it."),

        (CaseState.Open or CaseState.Acknowledged or CaseState.Escalated, CaseTrigger.Dismiss) => new TransitionOutcome.Moves(CaseState.Dismissed),
        (CaseState.Open or CaseState.Acknowledged or CaseState.Escalated, CaseTrigger.Resolve) => new TransitionOutcome.Moves(CaseState.Resolved),

        _ => throw new ArgumentOutOfRangeException(nameof(state), $"No transition defined for {state} on {trigger}."),
    };
}
