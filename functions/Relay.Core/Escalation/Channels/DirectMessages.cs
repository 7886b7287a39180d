using Relay.Core.Appservice;
using Relay.Core.Errors;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;

namespace Relay.Core.Escalation.Channels;

/// <summary>A message from the bot to one user in their DM room (reused, or created and remembered).</summary>
public sealed class DirectMessages(IMatrixBot bot, IDirectRoomStore rooms, TimeProvider time)
{
    /// <summary>Sends with <paramref name="txnId"/> (deterministic, so a retry is not a second message); a DM the user left is replaced.</summary>
    public async Task SendAsync(UserId user, string txnId, MatrixMessage message, CancellationToken cancellationToken)
    {
        var room = await RoomAsync(user, cancellationToken);
        try
        {
            await bot.SendMessageAsync(room, txnId, message, cancellationToken);
        }
        catch (MatrixException e) when (e.Error.Status == 403)
        {
            await rooms.ForgetAsync(room, cancellationToken);
            await bot.SendMessageAsync(await RoomAsync(user, cancellationToken), txnId, message, cancellationToken);
        }
    }

    private async Task<RoomId> RoomAsync(UserId user, CancellationToken cancellationToken)
    {
        if (await rooms.FindRoomAsync(user, cancellationToken) is { } existing)
        {
            return existing;
        }
        var room = await bot.CreateRoomAsync(new RoomCreation
        {
            Preset = "private_chat",
            Visibility = "private",
            IsDirect = true,
            Invite = [user],
        }, cancellationToken);
        await rooms.RecordAsync(user, room, time.GetUtcNow(), cancellationToken);
        return room;
    }
}
