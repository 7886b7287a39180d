using Relay.Core.Errors;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;

namespace Relay.Core.Appservice;

/// <summary>
/// The bot's one-to-one rooms: the one place a DM room is found (remembered per user) or created. Reporters' case
/// references and outcomes, escalations to other servers' admins and dashboard sign-in links all go through it.
/// </summary>
public sealed class DirectMessages(IMatrixBot bot, IDirectRoomStore rooms, TimeProvider time)
{
    /// <summary>Sends with <paramref name="txnId"/> (deterministic, so a retry is not a second message); a DM the user left is replaced.</summary>
    public async Task SendAsync(UserId user, string txnId, MatrixMessage message, CancellationToken cancellationToken = default)
    {
        var room = await RoomAsync(user, cancellationToken);
        try
        {
            await bot.SendMessageAsync(room, txnId, message, cancellationToken);
        }
        catch (MatrixException e) when (e.Error.Status == 403)
        {
            // The user left the DM (or the bot did): forget it and start a new one.
            await rooms.ForgetAsync(room, cancellationToken);
            await bot.SendMessageAsync(await RoomAsync(user, cancellationToken), txnId, message, cancellationToken);
        }
    }

    /// <summary>The user's DM room with the bot: the remembered one, or a new private one (remembered from then on).</summary>
    public async Task<RoomId> RoomAsync(UserId user, CancellationToken cancellationToken = default)
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
