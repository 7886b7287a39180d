using Relay.Core.Cases.Rooms;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;

namespace Relay.Core.Cases.Actions;

/// <summary>
/// One moderator action, Draupnir-style: how it is offered (label, emoji on the summary, command in the
/// case room), what it does to the case (<see cref="Trigger"/>), and what it does on the homeserver.
/// All of them are listed once, in <see cref="CaseActions.All"/>.
/// </summary>
public interface ICaseAction
{
    /// <summary>What moderators read, e.g. "kick the sender".</summary>
    string Label { get; }

    /// <summary>The reaction key on the summary that runs it; null for command-only actions.</summary>
    string? Emoji { get; }

    /// <summary>The command word after "!", e.g. "kick".</summary>
    string Command { get; }

    /// <summary>Whether the command takes free text (a reason or note) after the word.</summary>
    bool TakesText { get; }

    CaseTrigger Trigger { get; }

    /// <summary>
    /// Whether the action can do anything for this case (redacting needs an event, a policy ban a policy room): the summary
    /// and the dashboard offer only those. <see cref="ExecuteAsync"/> still refuses the others, should someone type them.
    /// </summary>
    bool AppliesTo(Case c, CaseRoomSettings settings) => true;

    /// <summary>
    /// Carries the action out as the bot. Throws <see cref="Errors.MatrixException"/> when the homeserver
    /// refuses (e.g. 403 M_FORBIDDEN when the bot lacks power); the caller tells the case room.
    /// </summary>
    Task<ActionEffect> ExecuteAsync(CaseActionContext context, CancellationToken cancellationToken);
}

/// <summary>
/// Everything an action may use. <see cref="Trigger"/> identifies what asked for it: the reaction or command event's ID,
/// or the dashboard form's own id.
/// </summary>
public sealed record CaseActionContext(
    Case Case,
    UserId Actor,
    string? Text,
    string Trigger,
    IMatrixBot Bot,
    CaseRoomSettings Settings,
    IReadOnlyList<Reports.Report>? Reports = null,
    IReadOnlyList<Threshold.KeptEvent>? Hidden = null,
    TimeProvider? Clock = null)
{
    /// <summary>Now, by the injected clock (the system's only when none was given).</summary>
    public DateTimeOffset Now => (Clock ?? TimeProvider.System).GetUtcNow();

    /// <summary>The reason given to the homeserver (seen by the target): the moderator's text, never the reporter's.</summary>
    public string HomeserverReason => string.IsNullOrWhiteSpace(Text) ? $"Moderation (Relay case {Case.Id.Short})" : Text.Trim();

    public string Txn(string purpose) => CaseTxn.For(Case.Id, purpose, Trigger);
}

/// <summary>What an action did.</summary>
public abstract record ActionEffect
{
    private ActionEffect()
    {
    }

    /// <summary>Done: <see cref="Confirmation"/> is posted in the case room, <see cref="AuditDetail"/> recorded.</summary>
    public sealed record Done(string Confirmation, string AuditDetail) : ActionEffect;

    /// <summary>The action makes no sense for this case (e.g. redact on a user report); nothing was done.</summary>
    public sealed record NotApplicable(string Why) : ActionEffect;
}
