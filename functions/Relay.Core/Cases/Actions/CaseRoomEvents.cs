using System.Text.Json.Nodes;
using Relay.Core.Appservice;
using Relay.Core.Cases.Rooms;
using Relay.Core.Cases.Threshold;
using Relay.Core.Errors;
using Relay.Core.Escalation;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;

namespace Relay.Core.Cases.Actions;

/// <summary>What <see cref="CaseRoomEvents.HandleAsync"/> made of an event.</summary>
public enum CaseEventOutcome
{
    /// <summary>Not for case rooms: another room, the bot's own event, an unknown command or emoji.</summary>
    Ignored,

    /// <summary>The sender may not act on this case; audited, nothing said in the room.</summary>
    Refused,

    /// <summary>A moderator asked for something the case's state (or target) does not allow; told in the room.</summary>
    Rejected,

    /// <summary>The homeserver refused the bot (e.g. 403 without power); told in the room, audited.</summary>
    Failed,

    /// <summary>Carried out, audited and confirmed in the case room.</summary>
    Done,

    /// <summary>A reported room's power levels changed; its open case rooms now hold its current moderators.</summary>
    MembersSynced,
}

/// <summary>
/// The one entry point for room events that concern cases. The appservice transaction code calls
/// <see cref="HandleAsync"/> once per event of a transaction (timeline and state events alike, in order);
/// everything else is decided here:
/// <list type="bullet">
/// <item>a reaction on a case summary (✅ 🗑️ 👢 🔨 ⬆️ ❎) or a <c>!command</c> in a case room runs that action
/// from <see cref="CaseActions.All"/>, if the sender is a moderator of the reported room (power levels read
/// again now); actions run as the bot in the reported room, are audited and confirmed in the case room;</item>
/// <item>an <c>m.room.power_levels</c> change in a reported room invites new moderators to its open case
/// rooms and removes those who lost the role.</item>
/// </list>
/// Homeserver failures of the action itself are reported in the room, not thrown; a store failure throws,
/// so the transaction is retried.
/// </summary>
public sealed partial class CaseRoomEvents(
    ICaseStore cases,
    ICaseWriteStore writes,
    IMatrixBot bot,
    ModeratorDirectory moderators,
    CaseMembership membership,
    CaseAnnouncer announcer,
    CaseRoomSettings settings,
    Escalator escalator,
    ThresholdRedactions threshold,
    IncidentRooms incidents,
    IRoomProtection protection,
    IDirectRoomStore directRooms,
    TimeProvider time)
{
    public async Task<CaseEventOutcome> HandleAsync(RoomEvent evt, CancellationToken cancellationToken = default)
    {
        if (evt.Type == "m.room.power_levels" && evt.StateKey == "")
        {
            moderators.Forget(evt.RoomId);
        }
        if (evt.Type == ThresholdSetting.EventType && evt.StateKey == "")
        {
            threshold.Forget(evt.RoomId);
        }
        if (evt.Sender == bot.UserId)
        {
            return CaseEventOutcome.Ignored;
        }
        if (evt.Type == "m.room.power_levels" && evt.StateKey == "")
        {
            return await SyncModeratorsAsync(evt, cancellationToken);
        }
        if (Parse(evt) is not { } request)
        {
            return CaseEventOutcome.Ignored;
        }
        if (await writes.FindCaseByRoomAsync(evt.RoomId, cancellationToken) is not { } c)
        {
            return request.ReactsTo is null && await MayBeIncidentRoomAsync(evt.RoomId, cancellationToken)
                ? await IncidentAsync(evt, request, cancellationToken)
                : CaseEventOutcome.Ignored;
        }
        if (request.ReactsTo is { } target && target != c.SummaryEvent)
        {
            return CaseEventOutcome.Ignored;
        }
        var actor = evt.Sender;
        return await ActAsync(c, request.Action, request.Text, actor, evt.EventId.Value, MayAct(c, actor), cancellationToken);
    }

    /// <summary>A moderator of the case's reported room, read again now, who is not the reported user.</summary>
    private Func<CancellationToken, Task<bool>> MayAct(Case c, UserId actor) =>
        async ct => actor != c.Target.ReportedUser && await moderators.IsModeratorAsync(c.Target, actor, ct);

    /// <summary>
    /// Runs <paramref name="action"/> on the case for <paramref name="actor"/>: the one path of every moderator action,
    /// whether asked for in the case room or on the dashboard, so the audit trail and the case-room echo are the same.
    /// <paramref name="trigger"/> identifies the request (an event ID, or a dashboard form's own id): a request retried
    /// with the same trigger acts once. <paramref name="mayAct"/> decides, now, whether the actor may act; a refusal is
    /// audited and nothing is said in the room.
    /// </summary>
    public async Task<CaseEventOutcome> ActAsync(Case c, ICaseAction action, string? text, UserId actor, string trigger,
        Func<CancellationToken, Task<bool>> mayAct, CancellationToken cancellationToken = default)
    {
        if (!await mayAct(cancellationToken))
        {
            var scope = c.Target.Room is { } room ? $"not a moderator of {room}" : "not a community moderator";
            await AuditAsync(c, actor.Value, "action.refused", $"{action.Command}: {scope}", cancellationToken);
            return CaseEventOutcome.Refused;
        }
        // Audited with the event that asked for it, so a transaction retried after a crash does not act (or audit) twice.
        var triggered = $"trigger={trigger}";
        if ((await cases.GetAuditAsync(c.Id, cancellationToken)).Any(a =>
                a.Action == "action." + action.Command && a.Detail?.EndsWith(triggered, StringComparison.Ordinal) == true))
        {
            // Only the confirmation may be missing; its txnId is the trigger's, so a sent one is not posted twice.
            await SayAsync(c, trigger, $"Done: {action.Label}.", cancellationToken);
            return CaseEventOutcome.Done;
        }
        if (CaseWorkflow.Transition(c.State, action.Trigger) is TransitionOutcome.Refused refused)
        {
            await AuditAsync(c, actor.Value, "action.rejected", $"{action.Command}: {c.State}", cancellationToken);
            await SayAsync(c, trigger, refused.Reason, cancellationToken);
            return CaseEventOutcome.Rejected;
        }
        if (action.Trigger == CaseTrigger.Escalate)
        {
            return await EscalateAsync(c, action, actor, trigger, cancellationToken);
        }
        ActionEffect effect;
        var reports = await cases.GetReportsAsync(c.Id, cancellationToken);
        var hidden = action is RestoreAction ? await threshold.HiddenAsync(c, cancellationToken) : null;
        try
        {
            effect = await action.ExecuteAsync(new CaseActionContext(c, actor, text, trigger, bot, settings, reports, hidden, time), cancellationToken);
        }
        catch (MatrixException e)
        {
            await AuditAsync(c, actor.Value, "action.failed", $"{action.Command}: {e.Error.ErrCode} ({e.Error.Status})", cancellationToken);
            await SayAsync(c, trigger, Failure(action, c, e.Error), cancellationToken);
            return CaseEventOutcome.Failed;
        }
        if (effect is ActionEffect.NotApplicable notApplicable)
        {
            await AuditAsync(c, actor.Value, "action.not_applicable", action.Command, cancellationToken);
            await SayAsync(c, trigger, notApplicable.Why, cancellationToken);
            return CaseEventOutcome.Rejected;
        }
        var done = (ActionEffect.Done)effect;
        var now = time.GetUtcNow();
        var updated = await CaseUpdates.ApplyAsync(cases, writes, c.Id, current =>
        {
            var audit = new List<AuditEntry> { new(c.Id, now, actor.Value, "action." + action.Command,
                string.IsNullOrEmpty(done.AuditDetail) ? triggered : $"{done.AuditDetail} {triggered}") };
            var next = current.State;
            if (CaseWorkflow.Transition(current.State, action.Trigger) is TransitionOutcome.Moves moves)
            {
                next = moves.To;
                var stops = current.NextDueAt is null ? "" : $"; the escalation ladder stops at tier {current.Tier}";
                audit.Add(new AuditEntry(c.Id, now, actor.Value, "case." + next.ToString().ToLowerInvariant(),
                    $"{current.State} → {next} by !{action.Command}{stops}"));
            }
            var closes = current.State.IsOpen() && !next.IsOpen();
            // Only an unacknowledged case climbs: acknowledging (or acting, or closing) stops its deadlines.
            var due = next is CaseState.Open or CaseState.Escalated ? current.NextDueAt : null;
            return new CaseEdit(current with { State = next, UpdatedAt = now, NextDueAt = due }, audit,
                closes ? ReporterNotice.For(c.Id, reports) : []);
        }, cancellationToken) ?? c;
        // Acknowledging, dismissing and resolving say the new state themselves; an enforcement action's confirmation does not.
        var state = updated.State == c.State || action.Trigger != CaseTrigger.Enforce ? "" : $" The case is now {updated.State.ToString().ToLowerInvariant()}.";
        await SayAsync(updated, trigger, done.Confirmation + state, cancellationToken);
        if (updated.IsGathered)
        {
            await RefreshIncidentAsync(updated, cancellationToken);
        }
        if (c.State.IsOpen() && !updated.State.IsOpen())
        {
            await announcer.AnnounceAsync(updated, "closed", $"Case {c.Id.Short} {updated.State.ToString().ToLowerInvariant()}", cancellationToken);
        }
        return CaseEventOutcome.Done;
    }

    /// <summary>
    /// ⬆️ / !escalate: the case climbs to the next tier that allows a moderator's escalation; the tier's channels and the
    /// case-room notice are queued with it (the notice names the tier and the next deadline).
    /// </summary>
    private async Task<CaseEventOutcome> EscalateAsync(Case c, ICaseAction action, UserId actor, string trigger, CancellationToken cancellationToken)
    {
        var outcome = await escalator.EscalateAsync(c.Id, actor.Value, $"{actor} asked for it (!{action.Command})", toTier: null,
            byModerator: true, cancellationToken);
        switch (outcome)
        {
            case EscalationOutcome.Escalated escalated:
                // Like every action's line, so the same trigger (a retried transaction, a form sent twice) climbs once.
                await AuditAsync(c, actor.Value, "action." + action.Command, $"tier {escalated.Case.Tier} trigger={trigger}", cancellationToken);
                var tier = escalator.Policy.Tier(escalated.Case.Tier);
                await SayAsync(escalated.Case, trigger,
                    $"{actor} escalated the case to tier {escalated.Case.Tier} ({tier?.Name}). The case is now escalated.", cancellationToken);
                return CaseEventOutcome.Done;
            case EscalationOutcome.Refused refused:
                await AuditAsync(c, actor.Value, "action.rejected", $"{action.Command}: {refused.Reason}", cancellationToken);
                await SayAsync(c, trigger, refused.Reason, cancellationToken);
                return CaseEventOutcome.Rejected;
            default:
                return CaseEventOutcome.Ignored;
        }
    }

    private async Task<CaseEventOutcome> SyncModeratorsAsync(RoomEvent evt, CancellationToken cancellationToken)
    {
        // Only cases the room's moderators own: an invite-spam case about the room belongs to the community's moderators,
        // and the room's power levels must never let its people into that case's room.
        var open = (await writes.ListOpenCasesWithRoomsAsync(evt.RoomId, cancellationToken)).Where(c => c.Target.Room == evt.RoomId).ToList();
        if (open.Count == 0)
        {
            return CaseEventOutcome.Ignored;
        }
        foreach (var c in open)
        {
            await membership.SyncAsync(c, evt.Content, cancellationToken);
        }
        return CaseEventOutcome.MembersSynced;
    }

    private string Failure(ICaseAction action, Case c, MatrixError error)
    {
        var where = c.Target.Room is { } room ? $" in {room}" : "";
        return error.Status == 403
            ? $"I could not {action.Label}{where}: the homeserver refused ({error.ErrCode}: {error.Message}). " +
              $"{bot.UserId} needs a power level high enough for this there; nothing was done."
            : $"I could not {action.Label}{where}: the homeserver answered {error.ErrCode} ({error.Status}). Nothing was done; try again later.";
    }

    /// <summary>
    /// A notice in the case room (or, for a case gathered into an incident, in the incident room, naming the case), sent
    /// once per trigger (its id is in the txnId).
    /// </summary>
    private async Task SayAsync(Case c, string trigger, string text, CancellationToken cancellationToken)
    {
        if ((c.CaseRoom ?? c.Incident) is not { } room)
        {
            return;
        }
        var body = c.CaseRoom is null ? $"Case {c.Id.Short}: {text}" : text;
        try
        {
            await bot.SendMessageAsync(room, CaseTxn.For(c.Id, "reply", trigger), new MatrixMessage(body), cancellationToken);
        }
        catch (MatrixException e)
        {
            await AuditAsync(c, AuditEntry.System, "reply.failed", $"{e.Error.ErrCode} ({e.Error.Status})", cancellationToken);
        }
    }

    private Task AuditAsync(Case c, string actor, string action, string? detail, CancellationToken cancellationToken) =>
        writes.AppendAuditAsync([new AuditEntry(c.Id, time.GetUtcNow(), actor, action, detail)], cancellationToken);

    private sealed record Request(ICaseAction Action, string? Text, EventId? ReactsTo);

    /// <summary>A reaction (m.annotation) with a known key, or a message whose body is a known !command.</summary>
    private static Request? Parse(RoomEvent evt)
    {
        if (evt.Type == "m.reaction")
        {
            return evt.Content["m.relates_to"] is JsonObject relates
                && Str(relates, "rel_type") == "m.annotation"
                && EventId.TryParse(Str(relates, "event_id"), out var target)
                && Str(relates, "key") is { } key
                && CaseActions.ByEmoji(key) is { } byEmoji
                    ? new Request(byEmoji, null, target)
                    : null;
        }
        if (evt.Type != "m.room.message" || Str(evt.Content, "body") is not { } body)
        {
            return null;
        }
        body = body.Trim();
        if (body.Length < 2 || body[0] != '!')
        {
            return null;
        }
        var space = body.IndexOfAny([' ', '\n', '\t']);
        var word = space < 0 ? body[1..] : body[1..space];
        var text = space < 0 ? null : body[(space + 1)..].Trim();
        return CaseActions.ByCommand(word) is { } byCommand
            ? new Request(byCommand, string.IsNullOrEmpty(text) ? null : text, null)
            : null;
    }

    private static string? Str(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
}
