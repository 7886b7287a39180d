using Relay.Core.Identifiers;

namespace Relay.Core.Appservice;

/// <summary>Rooms whose moderators invited the bot: in-Matrix reports are taken there, and events are searched there.</summary>
public interface IProtectedRoomStore
{
    /// <summary>Idempotent: protecting a protected room keeps its first record.</summary>
    Task ProtectAsync(RoomId room, UserId invitedBy, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task UnprotectAsync(RoomId room, CancellationToken cancellationToken = default);

    Task<bool> IsProtectedAsync(RoomId room, CancellationToken cancellationToken = default);

    /// <summary>The most recently protected first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<RoomId>> ListAsync(int max, CancellationToken cancellationToken = default);
}
