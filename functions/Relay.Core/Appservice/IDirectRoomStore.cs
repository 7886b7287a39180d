using Relay.Core.Identifiers;

namespace Relay.Core.Appservice;

/// <summary>The bot's direct-message rooms, one per user: where reporters DM links and get their case references.</summary>
public interface IDirectRoomStore
{
    /// <summary>Records (or replaces) the user's DM room.</summary>
    Task RecordAsync(UserId user, RoomId room, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task<RoomId?> FindRoomAsync(UserId user, CancellationToken cancellationToken = default);

    Task<UserId?> FindUserAsync(RoomId room, CancellationToken cancellationToken = default);

    Task ForgetAsync(RoomId room, CancellationToken cancellationToken = default);
}
