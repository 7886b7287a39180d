namespace Relay.Core.Cases.Actions;

/// <summary>✅ / !ack: a moderator has seen the case.</summary>
public sealed class AcknowledgeAction : ICaseAction
{
    public string Label => "acknowledge";

    public string? Emoji => "\u2705";

    public string Command => "ack";

    public bool TakesText => false;

    public CaseTrigger Trigger => CaseTrigger.Acknowledge;

    public Task<ActionEffect> ExecuteAsync(CaseActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult<ActionEffect>(new ActionEffect.Done($"{context.Actor} acknowledged the case.", "acknowledged"));
}

/// <summary>⬆️ / !escalate: up to the next tier of the escalation policy (carried out by <see cref="CaseRoomEvents"/> through the Escalator).</summary>
public sealed class EscalateAction : ICaseAction
{
    public string Label => "escalate";

    public string? Emoji => "\u2B06\uFE0F";

    public string Command => "escalate";

    public bool TakesText => false;

    public CaseTrigger Trigger => CaseTrigger.Escalate;

    public Task<ActionEffect> ExecuteAsync(CaseActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult<ActionEffect>(new ActionEffect.Done(
            $"{context.Actor} asked to escalate the case; the request is recorded.", "escalation requested"));
}

/// <summary>❎ / !dismiss: nothing to act on; the case closes and reporters hear the outcome.</summary>
public sealed class DismissAction : ICaseAction
{
    public string Label => "dismiss";

    public string? Emoji => "\u274E";

    public string Command => "dismiss";

    public bool TakesText => false;

    public CaseTrigger Trigger => CaseTrigger.Dismiss;

    public Task<ActionEffect> ExecuteAsync(CaseActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult<ActionEffect>(new ActionEffect.Done($"{context.Actor} dismissed the case: nothing to act on. It is closed.", "dismissed"));
}

/// <summary>!resolve [note]: dealt with; the case closes and reporters hear the outcome (never the note).</summary>
public sealed class ResolveAction : ICaseAction
{
    public string Label => "resolve";

    public string? Emoji => null;

    public string Command => "resolve";

    public bool TakesText => true;

    public CaseTrigger Trigger => CaseTrigger.Resolve;

    public Task<ActionEffect> ExecuteAsync(CaseActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult<ActionEffect>(new ActionEffect.Done($"{context.Actor} resolved the case. It is closed.",
            string.IsNullOrWhiteSpace(context.Text) ? "resolved" : "resolved: " + Note(context.Text)));

    private static string Note(string text) => text.Length > 500 ? text[..500] + "…" : text;
}
