using Relay.Core.Cases.Rooms;
using Relay.Core.Cases.Threshold;
using Relay.Core.Homeserver;
using Relay.Core.Reports;

namespace Relay.Core.Cases.Actions;

/// <summary>
/// !restore: gives back what the report threshold hid in this case. Matrix cannot undo a redaction, so the bot re-posts
/// each hidden message's kept text in its room as a notice attributed to its sender and time ("Restored by the
/// moderators: message from @x at …: text"). Text only (media is never kept) and never for a child-safety case. Not offered
/// on the summary: the threshold's own notice in the case room names it when there is something to restore.
/// </summary>
public sealed class RestoreAction : ICaseAction
{
    public string Label => "restore the messages the report threshold hid";

    public string? Emoji => null;

    public string Command => "restore";

    public bool TakesText => false;

    public CaseTrigger Trigger => CaseTrigger.Restore;

    public bool AppliesTo(Case c, CaseRoomSettings settings) => false;

    public async Task<ActionEffect> ExecuteAsync(CaseActionContext context, CancellationToken cancellationToken)
    {
        if (context.Case.Category is { IsChildSafety: true })
        {
            return new ActionEffect.NotApplicable("This is a child-safety case: what the threshold hid is never re-posted.");
        }
        var hidden = context.Hidden ?? [];
        if (hidden.Count == 0)
        {
            return new ActionEffect.NotApplicable("The report threshold hid nothing in this case that is not restored already; there is nothing to restore.");
        }
        var restored = new List<KeptEvent>();
        foreach (var kept in hidden.Where(k => k.IsText))
        {
            await context.Bot.SendMessageAsync(kept.RoomId, context.Txn("restore-" + CaseTxn.EventKey(kept.EventId)),
                Message(kept), cancellationToken);
            restored.Add(kept);
        }
        if (restored.Count == 0)
        {
            return new ActionEffect.NotApplicable("What the threshold hid was not text (media is never kept), so there is nothing to re-post.");
        }
        var rooms = string.Join(", ", restored.Select(k => k.RoomId).Distinct());
        return new ActionEffect.Done(
            $"{context.Actor} restored {Text.Counted.Of(restored.Count, "hidden message")}: re-posted in {rooms}, attributed to the sender.",
            "restored " + string.Join(' ', restored.Select(k => k.EventId.Value)));
    }

    public static MatrixMessage Message(KeptEvent kept) =>
        new($"Restored by the moderators: message from {kept.Sender} at {kept.SentAtText}: {kept.Body}");
}
