using System.Text.Json.Nodes;
using Relay.Core.Cases.Rooms;
using Relay.Core.Reports;

namespace Relay.Core.Cases.Actions;

/// <summary>🗑️ / !redact [reason]: the bot redacts the reported event.</summary>
public sealed class RedactAction : ICaseAction
{
    public string Label => "redact the event";

    public string? Emoji => "\U0001F5D1\uFE0F";

    public string Command => "redact";

    public bool TakesText => true;

    public CaseTrigger Trigger => CaseTrigger.Enforce;

    public bool AppliesTo(Case c, CaseRoomSettings settings) => c.Target is ReportTarget.Event;

    public async Task<ActionEffect> ExecuteAsync(CaseActionContext context, CancellationToken cancellationToken)
    {
        if (context.Case.Target is not ReportTarget.Event e)
        {
            return new ActionEffect.NotApplicable("This case is not about an event, so there is nothing to redact.");
        }
        await context.Bot.RedactAsync(e.RoomId, e.EventId, context.Txn("redact"), context.HomeserverReason, cancellationToken);
        return new ActionEffect.Done($"{context.Actor} had the event {e.EventId} redacted in {e.RoomId}.", $"redacted {e.EventId}");
    }
}

/// <summary>👢 / !kick [reason]: the bot kicks the reported user from the reported room.</summary>
public sealed class KickAction : ICaseAction
{
    public string Label => "kick the user";

    public string? Emoji => "\U0001F462";

    public string Command => "kick";

    public bool TakesText => true;

    public CaseTrigger Trigger => CaseTrigger.Enforce;

    public bool AppliesTo(Case c, CaseRoomSettings settings) => c.Target.Room is not null && c.Target.ReportedUser is not null;

    public async Task<ActionEffect> ExecuteAsync(CaseActionContext context, CancellationToken cancellationToken)
    {
        if (context.Case.Target.Room is not { } room || context.Case.Target.ReportedUser is not { } user)
        {
            return new ActionEffect.NotApplicable("This case names no user in a room, so there is no one to kick.");
        }
        await context.Bot.KickAsync(room, user, context.HomeserverReason, cancellationToken);
        return new ActionEffect.Done($"{context.Actor} had {user} kicked from {room}.", $"kicked {user} from {room}");
    }
}

/// <summary>🔨 / !ban [reason]: the bot bans the reported user from the reported room.</summary>
public sealed class BanAction : ICaseAction
{
    public string Label => "ban the user";

    public string? Emoji => "\U0001F528";

    public string Command => "ban";

    public bool TakesText => true;

    public CaseTrigger Trigger => CaseTrigger.Enforce;

    public bool AppliesTo(Case c, CaseRoomSettings settings) => c.Target.Room is not null && c.Target.ReportedUser is not null;

    public async Task<ActionEffect> ExecuteAsync(CaseActionContext context, CancellationToken cancellationToken)
    {
        if (context.Case.Target.Room is not { } room || context.Case.Target.ReportedUser is not { } user)
        {
            return new ActionEffect.NotApplicable("This case names no user in a room, so there is no one to ban here; try !policy-ban.");
        }
        await context.Bot.BanAsync(room, user, context.HomeserverReason, cancellationToken);
        return new ActionEffect.Done($"{context.Actor} had {user} banned from {room}.", $"banned {user} from {room}");
    }
}

/// <summary>
/// !policy-ban [reason]: an <c>m.policy.rule.user</c> ban in the configured policy room, so every room that
/// follows the list (Draupnir, Meowlnir) bans the user too.
/// </summary>
public sealed class PolicyBanAction : ICaseAction
{
    public const string RuleType = "m.policy.rule.user";

    public string Label => "ban through the policy list";

    public string? Emoji => null;

    public string Command => "policy-ban";

    public bool TakesText => true;

    public CaseTrigger Trigger => CaseTrigger.Enforce;

    public bool AppliesTo(Case c, CaseRoomSettings settings) => settings.PolicyRoom is not null && c.Target.ReportedUser is not null;

    /// <summary>State keys starting with '@' are reserved for that user in newer room versions, so the rule gets a prefix.</summary>
    public static string StateKey(Identifiers.UserId user) => "rule:" + user.Value;

    public async Task<ActionEffect> ExecuteAsync(CaseActionContext context, CancellationToken cancellationToken)
    {
        if (context.Settings.PolicyRoom is not { } policyRoom)
        {
            return new ActionEffect.NotApplicable("No policy room is configured (Relay__Moderation__PolicyRoom), so there is no list to ban on.");
        }
        if (context.Case.Target.ReportedUser is not { } user)
        {
            return new ActionEffect.NotApplicable("This case names no user, so there is no one to ban.");
        }
        var rule = new JsonObject
        {
            ["entity"] = user.Value,
            ["recommendation"] = "m.ban",
            ["reason"] = context.HomeserverReason,
        };
        await context.Bot.SendStateAsync(policyRoom, RuleType, StateKey(user), rule, cancellationToken);
        return new ActionEffect.Done($"{context.Actor} added a ban of {user} to the policy list {policyRoom}.",
            $"policy ban of {user} in {policyRoom}");
    }
}
