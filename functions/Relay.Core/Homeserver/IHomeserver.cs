using Relay.Core.Identifiers;

namespace Relay.Core.Homeserver;

/// <summary>
/// The homeserver as a reporter's client sees it: calls made with the reporter's own token, which
/// proves who they are and what they can see. Failures are <see cref="Errors.MatrixException"/>s.
/// </summary>
public interface IHomeserver
{
    /// <summary><c>GET /_matrix/client/v3/account/whoami</c>.</summary>
    Task<TokenOwner> WhoAmIAsync(string accessToken, CancellationToken cancellationToken = default);

    /// <summary><c>GET /_matrix/client/v3/rooms/{roomId}/event/{eventId}</c>: only sender and type are kept.</summary>
    Task<EventFacts> GetEventAsync(string accessToken, RoomId room, EventId eventId, CancellationToken cancellationToken = default);

    /// <summary><c>GET /_matrix/client/v3/directory/room/{roomAlias}</c>.</summary>
    Task<RoomId> ResolveRoomAliasAsync(string accessToken, RoomAlias alias, CancellationToken cancellationToken = default);

    /// <summary>
    /// Who invited the token's owner to <paramref name="room"/>, while the invite is pending or after they rejected it;
    /// null when they were not invited there (a member, say) or the homeserver does not tell. One filtered <c>/sync</c>:
    /// the invite's stripped state for a pending invite, the rejection's <c>unsigned.prev_sender</c> for a rejected one.
    /// </summary>
    Task<UserId?> FindInviterAsync(string accessToken, UserId invitee, RoomId room, CancellationToken cancellationToken = default);

    /// <summary><c>POST /_matrix/client/v3/rooms/{roomId}/report/{eventId}</c> on the homeserver itself (MSC2938 target homeserver_admins).</summary>
    Task ForwardEventReportAsync(string accessToken, RoomId room, EventId eventId, string? reason, long? score,
        CancellationToken cancellationToken = default);
}

public sealed record TokenOwner(UserId UserId, bool IsGuest);

public sealed record EventFacts(RoomId RoomId, EventId EventId, UserId Sender, string Type);
