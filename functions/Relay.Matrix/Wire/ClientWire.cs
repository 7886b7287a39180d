using System.Text.Json;
using System.Text.Json.Serialization;

namespace Relay.Matrix.Wire;

/// <summary>Response of <c>GET /account/whoami</c>.</summary>
public sealed record WhoAmIResponse(
    [property: JsonPropertyName("user_id")] string? UserId,
    [property: JsonPropertyName("device_id")] string? DeviceId,
    [property: JsonPropertyName("is_guest")] bool? IsGuest);

/// <summary>
/// The fields of a client event that Relay reads. Content is deliberately absent: Relay never
/// deserialises or keeps what was said, only who said it and what kind of event it was.
/// </summary>
public sealed record ClientEventHeader(
    [property: JsonPropertyName("event_id")] string? EventId,
    [property: JsonPropertyName("room_id")] string? RoomId,
    [property: JsonPropertyName("sender")] string? Sender,
    [property: JsonPropertyName("type")] string? Type);

/// <summary>Response of <c>GET /directory/room/{roomAlias}</c>.</summary>
public sealed record RoomAliasResponse([property: JsonPropertyName("room_id")] string? RoomId);

/// <summary>Standard Matrix error body.</summary>
public sealed record ErrorResponse(
    [property: JsonPropertyName("errcode")] string? ErrCode,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("retry_after_ms")] long? RetryAfterMs);

/// <summary>Body of the homeserver's own event report endpoint, for forwarding.</summary>
public sealed record ReportEventRequest(
    [property: JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    [property: JsonPropertyName("score"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Score);

/// <summary>The <c>filter</c> of <c>GET /rooms/{roomId}/messages</c> (a RoomEventFilter): one sender's events.</summary>
public sealed record SenderFilter(
    [property: JsonPropertyName("senders")] IReadOnlyList<string> Senders,
    [property: JsonPropertyName("lazy_load_members")] bool LazyLoadMembers = false);

/// <summary>Response of <c>GET /rooms/{roomId}/messages</c>, without event content.</summary>
public sealed record MessagesResponse(
    [property: JsonPropertyName("chunk")] IReadOnlyList<TimelineEventWire>? Chunk,
    [property: JsonPropertyName("end")] string? End);

/// <summary>An event of a <c>/messages</c> page; content is deliberately absent, as in <see cref="ClientEventHeader"/>.</summary>
public sealed record TimelineEventWire(
    [property: JsonPropertyName("event_id")] string? EventId,
    [property: JsonPropertyName("sender")] string? Sender,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("state_key")] string? StateKey,
    [property: JsonPropertyName("origin_server_ts")] long? OriginServerTs,
    [property: JsonPropertyName("unsigned")] TimelineUnsigned? Unsigned);

/// <summary>The part of <c>unsigned</c> that says an event was redacted.</summary>
public sealed record TimelineUnsigned([property: JsonPropertyName("redacted_because")] JsonElement? RedactedBecause);

/// <summary>The parts of a <c>/sync</c> response that say who invited the user to a room; content is never read.</summary>
public sealed record InviteSyncResponse([property: JsonPropertyName("rooms")] SyncRooms? Rooms);

public sealed record SyncRooms(
    [property: JsonPropertyName("invite")] Dictionary<string, InvitedRoomSync>? Invite,
    [property: JsonPropertyName("leave")] Dictionary<string, LeftRoomSync>? Leave);

public sealed record InvitedRoomSync([property: JsonPropertyName("invite_state")] SyncEvents? InviteState);

public sealed record LeftRoomSync([property: JsonPropertyName("timeline")] SyncEvents? Timeline);

public sealed record SyncEvents([property: JsonPropertyName("events")] List<MembershipHeader>? Events);

/// <summary>A membership event as far as finding an inviter needs: no content but the membership.</summary>
public sealed record MembershipHeader(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("state_key")] string? StateKey,
    [property: JsonPropertyName("sender")] string? Sender,
    [property: JsonPropertyName("content")] MembershipContent? Content,
    [property: JsonPropertyName("unsigned")] MembershipUnsigned? Unsigned);

public sealed record MembershipContent([property: JsonPropertyName("membership")] string? Membership);

public sealed record MembershipUnsigned(
    [property: JsonPropertyName("prev_content")] MembershipContent? PrevContent,
    [property: JsonPropertyName("prev_sender")] string? PrevSender);

[JsonSerializable(typeof(SenderFilter))]
[JsonSerializable(typeof(MessagesResponse))]
[JsonSerializable(typeof(InviteSyncResponse))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(WhoAmIResponse))]
[JsonSerializable(typeof(ClientEventHeader))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(RoomAliasResponse))]
[JsonSerializable(typeof(ReportEventRequest))]
public sealed partial class MatrixJsonContext : JsonSerializerContext;
