using Relay.Core.Identifiers;

namespace Relay.Core.Appservice;

/// <summary>Whether the community protects a room: configured, or its moderator invited the bot.</summary>
public interface IRoomProtection
{
    Task<bool> IsProtectedAsync(RoomId room, CancellationToken cancellationToken);
}
