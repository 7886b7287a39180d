using System.Text.Json.Nodes;
using Relay.Core.Identifiers;

namespace Relay.Core.Homeserver;

/// <summary>
/// The homeserver as Relay's appservice bot sees it: calls made with the <c>as_token</c>, as the bot
/// or (through <see cref="ActingAs"/>) as another user in the appservice's namespace. Every failure is a
/// <see cref="Errors.MatrixException"/> carrying the homeserver's status and errcode; rate limits and
/// transient failures are retried (bounded) before that.
/// </summary>
/// <remarks>
/// Methods that create events take a caller-supplied <c>txnId</c>: derive it from what the event is for
/// (e.g. "case-summary-{caseId}"), so a retried handler never posts twice.
/// </remarks>
public interface IMatrixBot
{
    /// <summary>The user this bot acts as: the appservice sender, or the user given to <see cref="ActingAs"/>.</summary>
    UserId UserId { get; }

    /// <summary>The same bot masquerading as <paramref name="user"/> (<c>?user_id=</c>); it must be in the appservice's namespace.</summary>
    IMatrixBot ActingAs(UserId user);

    /// <summary><c>POST /_matrix/client/v3/join/{roomIdOrAlias}</c>; returns the room joined.</summary>
    Task<RoomId> JoinAsync(string roomIdOrAlias, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary><c>POST /rooms/{roomId}/leave</c>; also declines an invite.</summary>
    Task LeaveAsync(RoomId room, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary><c>POST /createRoom</c>.</summary>
    Task<RoomId> CreateRoomAsync(RoomCreation request, CancellationToken cancellationToken = default);

    /// <summary><c>GET /directory/room/{roomAlias}</c>; null when no room has the alias.</summary>
    Task<RoomId?> ResolveAliasAsync(RoomAlias alias, CancellationToken cancellationToken = default);

    Task InviteAsync(RoomId room, UserId user, string? reason = null, CancellationToken cancellationToken = default);

    Task KickAsync(RoomId room, UserId user, string? reason = null, CancellationToken cancellationToken = default);

    Task BanAsync(RoomId room, UserId user, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /rooms/{roomId}/redact/{eventId}/{txnId}</c>; returns the redaction's event ID.</summary>
    Task<EventId> RedactAsync(RoomId room, EventId eventId, string txnId, string? reason = null,
        CancellationToken cancellationToken = default);

    /// <summary><c>PUT /rooms/{roomId}/send/m.room.message/{txnId}</c> with an <c>m.notice</c> or <c>m.text</c> body.</summary>
    Task<EventId> SendMessageAsync(RoomId room, string txnId, MatrixMessage message, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /rooms/{roomId}/send/{eventType}/{txnId}</c>.</summary>
    Task<EventId> SendEventAsync(RoomId room, string eventType, string txnId, JsonObject content,
        CancellationToken cancellationToken = default);

    /// <summary><c>PUT /rooms/{roomId}/state/{eventType}/{stateKey}</c> (idempotent by nature).</summary>
    Task<EventId> SendStateAsync(RoomId room, string eventType, string stateKey, JsonObject content,
        CancellationToken cancellationToken = default);

    /// <summary><c>GET /rooms/{roomId}/state/{eventType}/{stateKey}</c>: the content, or null when there is no such state (404).</summary>
    Task<JsonObject?> GetStateAsync(RoomId room, string eventType, string stateKey = "", CancellationToken cancellationToken = default);

    /// <summary>
    /// The whole state event (<c>?format=event</c>, Matrix 1.16), or null when there is none. A server that
    /// ignores <c>format</c> and answers with content only is detected, and the event is read from the full state.
    /// </summary>
    Task<RoomEvent?> GetStateEventAsync(RoomId room, string eventType, string stateKey = "", CancellationToken cancellationToken = default);

    /// <summary><c>GET /rooms/{roomId}/joined_members</c>.</summary>
    Task<IReadOnlyList<UserId>> GetJoinedMembersAsync(RoomId room, CancellationToken cancellationToken = default);

    /// <summary><c>GET /rooms/{roomId}/members?membership=invite</c>: who holds a pending invite.</summary>
    Task<IReadOnlyList<UserId>> GetInvitedMembersAsync(RoomId room, CancellationToken cancellationToken = default);

    /// <summary><c>GET /rooms/{roomId}/event/{eventId}</c>: null when not found or not visible to the bot (404).</summary>
    Task<RoomEvent?> GetEventAsync(RoomId room, EventId eventId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The same event exactly as the homeserver returned it (for evidence preservation: never shown, never stored
    /// elsewhere); null when not found or not visible to the bot (404).
    /// </summary>
    Task<JsonObject?> GetEventJsonAsync(RoomId room, EventId eventId, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of <c>GET /rooms/{roomId}/messages?dir=b</c> filtered to <paramref name="sender"/>'s events, newest first,
    /// read as the bot: from <paramref name="from"/> (a previous page's <see cref="TimelinePage.End"/>; null for the
    /// newest event). Content is not returned: only what an action needs to decide whether to redact.
    /// </summary>
    Task<TimelinePage> GetEventsBySenderAsync(RoomId room, UserId sender, string? from, int limit,
        CancellationToken cancellationToken = default);

    /// <summary><c>POST /_matrix/client/v1/appservice/{appserviceId}/ping</c>: the homeserver's round trip to Relay.</summary>
    Task<TimeSpan> PingAsync(string? transactionId = null, CancellationToken cancellationToken = default);
}

/// <summary>
/// A room event as the homeserver returned it. <see cref="Content"/> is for deciding what to do now;
/// never store it (Relay keeps who and what kind, not what was said).
/// </summary>
public sealed record RoomEvent(RoomId RoomId, EventId EventId, UserId Sender, string Type, string? StateKey, JsonObject Content);

/// <summary>A page of a room's timeline, newest first; <see cref="End"/> is null when the start of the room was reached.</summary>
public sealed record TimelinePage(IReadOnlyList<TimelineEvent> Events, string? End);

/// <summary>An event of a timeline page: what it is and when it was sent, not what it says.</summary>
public sealed record TimelineEvent(EventId EventId, UserId Sender, string Type, bool IsState, bool IsRedacted, DateTimeOffset SentAt);

/// <summary>A plain-text message, optionally with an HTML body; <see cref="Notice"/> marks bot output (m.notice).</summary>
public sealed record MatrixMessage(string Body, string? HtmlBody = null, bool Notice = true);

/// <summary>The body of <c>POST /createRoom</c> (create_room.yaml), every field optional.</summary>
public sealed record RoomCreation
{
    /// <summary><c>private_chat</c>, <c>trusted_private_chat</c> or <c>public_chat</c>.</summary>
    public string? Preset { get; init; }

    /// <summary><c>public</c> or <c>private</c> (the room directory).</summary>
    public string? Visibility { get; init; }

    /// <summary>The localpart of an alias to create, e.g. <c>relay-case-01j...</c>.</summary>
    public string? RoomAliasName { get; init; }

    public string? Name { get; init; }

    public string? Topic { get; init; }

    public IReadOnlyList<UserId> Invite { get; init; } = [];

    public string? RoomVersion { get; init; }

    /// <summary>Extra <c>m.room.create</c> content, e.g. <c>{"type": "m.report"}</c>.</summary>
    public JsonObject? CreationContent { get; init; }

    public IReadOnlyList<InitialStateEvent> InitialState { get; init; } = [];

    public bool IsDirect { get; init; }

    public JsonObject? PowerLevelContentOverride { get; init; }
}

public sealed record InitialStateEvent(string Type, JsonObject Content, string StateKey = "");
