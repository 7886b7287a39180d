using Relay.Core.Appservice;
using Relay.Core.Errors;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Core.Moderation;
using Relay.Core.Queue;

namespace Relay.Host.Appservice;

/// <summary>
/// The bot was invited. A DM invite (<c>is_direct</c>) is accepted and remembered as the user's DM. Any
/// other room is protected only if the <see cref="ProtectionPolicy"/> allows it (a community moderator or admin
/// invited the bot, or the room is on the community's servers) and the inviter moderates it, judged on the live state
/// after joining (the invite's stripped state is not to be trusted); otherwise the bot declines or leaves again,
/// saying why.
/// </summary>
public sealed class BotInviteHandler(
    IMatrixBot bot,
    IProtectedRoomStore protectedRooms,
    IDirectRoomStore directRooms,
    ProtectionPolicy policy,
    TimeProvider time,
    ILogger<BotInviteHandler> logger) : IQueueHandler
{
    public const string RefusalReason = "Relay protects a room when one of its moderators invites it.";

    public string Topic => AppserviceTopics.BotInvited;

    public async Task HandleAsync(QueueDelivery delivery, CancellationToken cancellationToken)
    {
        if (BotInvited.From(delivery.Message) is not { } invite
            || !RoomId.TryParse(invite.RoomId, out var room) || !UserId.TryParse(invite.Inviter, out var inviter))
        {
            logger.LogWarning("Dropped malformed message {MessageId}", delivery.Message.Id);
            return;
        }
        if (invite.StrippedStateRefuses)
        {
            await DeclineAsync(room, inviter, RefusalReason, cancellationToken);
            return;
        }
        if (!invite.IsDirect && policy.AllowsByRoomId(room, inviter) == false)
        {
            await DeclineAsync(room, inviter, ProtectionPolicy.Refusal, cancellationToken);
            return;
        }
        try
        {
            await bot.JoinAsync(room.Value, cancellationToken: cancellationToken);
        }
        catch (MatrixException e) when (e.Error.Status is 403 or 404)
        {
            logger.LogInformation("Could not join {RoomId} ({ErrCode}); the invite was probably withdrawn", room, e.Error.ErrCode);
            return;
        }
        if (invite.IsDirect)
        {
            await directRooms.RecordAsync(inviter, room, time.GetUtcNow(), cancellationToken);
            return;
        }
        var create = await bot.GetStateEventAsync(room, "m.room.create", "", cancellationToken);
        var powerLevels = await bot.GetStateAsync(room, "m.room.power_levels", "", cancellationToken);
        if (create is not null && !policy.AllowsByCreator(create.Sender, inviter))
        {
            await DeclineAsync(room, inviter, ProtectionPolicy.Refusal, cancellationToken);
            return;
        }
        if (create is not null && ModeratorRule.IsModerator(inviter, RoomCreateFacts.From(create.Sender, create.Content), powerLevels))
        {
            await protectedRooms.ProtectAsync(room, inviter, time.GetUtcNow(), cancellationToken);
            logger.LogInformation("Now protecting {RoomId}", room);
            return;
        }
        await DeclineAsync(room, inviter, RefusalReason, cancellationToken);
    }

    private async Task DeclineAsync(RoomId room, UserId inviter, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await bot.LeaveAsync(room, reason, cancellationToken);
        }
        catch (MatrixException e) when (e.Error.Status is 403 or 404)
        {
            // Already out of the room: nothing to decline.
        }
        logger.LogInformation("Declined {RoomId}: {Reason}", room, reason);
        _ = inviter;
    }
}
