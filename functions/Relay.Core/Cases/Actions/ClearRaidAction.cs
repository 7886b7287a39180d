using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Relay.Core.Cases.Rooms;
using Relay.Core.Errors;
using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Core.Cases.Actions;

/// <summary>
/// 🧹 / !clear [reason]: clears an offender's raid in one step. The bot bans the reported user from every room of the
/// case's reported events, redacts each of those events, and adds a ban to the policy list when one is configured.
/// Safe to run again (a ban and a redaction are idempotent, and each redaction's txnId is derived from its event).
/// </summary>
public sealed class ClearRaidAction : ICaseAction
{
    public string Label => "ban the sender and redact every reported event";

    public string? Emoji => "\U0001F9F9";

    public string Command => "clear";

    public bool TakesText => true;

    public CaseTrigger Trigger => CaseTrigger.Enforce;

    public bool AppliesTo(Case c, CaseRoomSettings settings) => c.Target is ReportTarget.Event && c.Target.ReportedUser is not null;

    public async Task<ActionEffect> ExecuteAsync(CaseActionContext context, CancellationToken cancellationToken)
    {
        if (context.Case.Target.ReportedUser is not { } user)
        {
            return new ActionEffect.NotApplicable("This case names no user, so there is no raid to clear.");
        }
        var events = (context.Reports ?? [])
            .Select(r => r.Target).OfType<ReportTarget.Event>()
            .DistinctBy(e => e.EventId)
            .ToList();
        if (events.Count == 0 && context.Case.Target is ReportTarget.Event only)
        {
            events.Add(only);
        }
        var rooms = events.Select(e => e.RoomId).Distinct().ToList();
        if (rooms.Count == 0)
        {
            return new ActionEffect.NotApplicable("This case has no reported events in a room, so there is nothing to clear; try !policy-ban.");
        }
        foreach (var room in rooms)
        {
            await context.Bot.BanAsync(room, user, context.HomeserverReason, cancellationToken);
        }
        var redacted = 0;
        var gone = 0;
        foreach (var e in events)
        {
            try
            {
                await context.Bot.RedactAsync(e.RoomId, e.EventId, context.Txn("clear-" + Short(e.EventId)), context.HomeserverReason, cancellationToken);
                redacted++;
            }
            catch (MatrixException m) when (m.Error.Status == 404)
            {
                // Already purged by the server: nothing left to redact, and no reason to stop the others.
                gone++;
            }
        }
        var policy = await PolicyBanAsync(context, user, cancellationToken);
        var where = string.Join(", ", rooms);
        var goneText = gone == 0 ? "" : $" ({gone} no longer on the server)";
        return new ActionEffect.Done(
            $"{context.Actor} cleared the raid of {user}: banned from {where}, {redacted} of {events.Count} reported event(s) redacted{goneText}"
            + (policy is null ? "." : $", and a ban added to the policy list {policy}."),
            $"banned {user} from {where} redacted={redacted}/{events.Count} policy={(policy?.Value ?? "none")}");
    }

    private static async Task<RoomId?> PolicyBanAsync(CaseActionContext context, UserId user, CancellationToken cancellationToken)
    {
        if (context.Settings.PolicyRoom is not { } policyRoom)
        {
            return null;
        }
        var rule = new JsonObject { ["entity"] = user.Value, ["recommendation"] = "m.ban", ["reason"] = context.HomeserverReason };
        await context.Bot.SendStateAsync(policyRoom, PolicyBanAction.RuleType, PolicyBanAction.StateKey(user), rule, cancellationToken);
        return policyRoom;
    }

    private static string Short(EventId id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id.Value)))[..12];
}
