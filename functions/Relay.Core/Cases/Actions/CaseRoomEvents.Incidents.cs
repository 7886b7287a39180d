using System.Security.Cryptography;
using System.Text;
using Relay.Core.Errors;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;

namespace Relay.Core.Cases.Actions;

/// <summary>
/// Actions from an incident room, where cases past the case-room budget are gathered without a room of their own:
/// <c>!command &lt;case&gt; [text]</c> acts on the gathered case named by its short ID (as the incident summary shows it,
/// or any longer tail of its ID), <c>!command all [text]</c> on every open gathered case the action applies to. Each case
/// goes through <see cref="ActAsync"/>, so the moderator check (against that case's reported room), the audit on the case
/// and the confirmation (in the incident room, naming the case) are those of a case room.
/// </summary>
public sealed partial class CaseRoomEvents
{
    public const string AllCases = "all";

    /// <summary>How many gathered cases of one incident are read; an incident past it is acted on from the dashboard.</summary>
    private const int IncidentCasesRead = 500;

    private const int ShortestReference = 6;

    private async Task<CaseEventOutcome> IncidentAsync(RoomEvent evt, Request request, CancellationToken cancellationToken)
    {
        var gathered = await cases.ListCasesAsync(new CaseQuery(Limit: IncidentCasesRead) { Incident = evt.RoomId }, cancellationToken);
        if (gathered.Count == 0)
        {
            return CaseEventOutcome.Ignored;
        }
        var command = request.Action.Command;
        var (reference, text) = SplitReference(request.Text);
        var targets = reference is null ? []
            : string.Equals(reference, AllCases, StringComparison.OrdinalIgnoreCase)
                ? [.. gathered.Where(c => c.State.IsOpen() && request.Action.AppliesTo(c, settings)).OrderBy(c => c.OpenedAt)]
                : gathered.Where(c => Names(reference, c.Id)).ToList();
        var why = (reference, targets.Count) switch
        {
            (null, _) => $"Name the case: !{command} <case> [text] with its ID from the summary, or !{command} all for every open case here.",
            (_, 0) when string.Equals(reference, AllCases, StringComparison.OrdinalIgnoreCase) => $"No open case here that !{command} applies to.",
            (_, 0) => $"No case {reference} in this incident; the summary lists its cases.",
            (_, > 1) when !string.Equals(reference, AllCases, StringComparison.OrdinalIgnoreCase) =>
                $"{reference} names {targets.Count} cases here; give more of the ID.",
            _ => null,
        };
        if (why is not null)
        {
            await SayInIncidentAsync(evt, why, cancellationToken);
            return CaseEventOutcome.Rejected;
        }
        var outcomes = new List<CaseEventOutcome>(targets.Count);
        foreach (var c in targets)
        {
            outcomes.Add(await ActAsync(c, request.Action, text, evt.Sender, evt.EventId.Value, MayAct(c, evt.Sender), cancellationToken));
        }
        return outcomes.Contains(CaseEventOutcome.Done) ? CaseEventOutcome.Done : outcomes[0];
    }

    /// <summary>
    /// Whether a room that is no case room could hold gathered cases. Protected rooms and DMs with the bot never do, and
    /// members type <c>!ban</c> there: two point reads spare them the listing of cases an incident needs.
    /// </summary>
    private async Task<bool> MayBeIncidentRoomAsync(RoomId room, CancellationToken cancellationToken) =>
        room == settings.ModeratorsRoom
        || (!await protection.IsProtectedAsync(room, cancellationToken)
            && await directRooms.FindUserAsync(room, cancellationToken) is null);

    /// <summary>The first word is the case (or <c>all</c>); the rest is the action's text.</summary>
    private static (string? Reference, string? Text) SplitReference(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }
        var trimmed = text.Trim();
        var space = trimmed.IndexOfAny([' ', '\n', '\t']);
        return space < 0 ? (trimmed, null) : (trimmed[..space], trimmed[(space + 1)..].Trim() is { Length: > 0 } rest ? rest : null);
    }

    private static bool Names(string reference, CaseId id) =>
        reference.Length >= ShortestReference && id.Value.EndsWith(reference.ToUpperInvariant(), StringComparison.Ordinal);

    /// <summary>A reply about no case in particular, once per asking event.</summary>
    private async Task SayInIncidentAsync(RoomEvent evt, string text, CancellationToken cancellationToken)
    {
        var txn = "relay.incident.reply." + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(evt.EventId.Value)))[..16];
        await bot.SendMessageAsync(evt.RoomId, txn, new MatrixMessage(text), cancellationToken);
    }

    /// <summary>The incident summary shows each case's state; a failed edit is audited, the action stands.</summary>
    private async Task RefreshIncidentAsync(Case c, CancellationToken cancellationToken)
    {
        try
        {
            await incidents.RefreshAsync(c, cancellationToken);
        }
        catch (MatrixException e)
        {
            await AuditAsync(c, AuditEntry.System, "incident.refresh_failed", $"{e.Error.ErrCode} ({e.Error.Status})", cancellationToken);
        }
    }
}
