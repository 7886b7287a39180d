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

[JsonSerializable(typeof(SenderFilter))]
[JsonSerializable(typeof(MessagesResponse))]
[JsonSerializable(typeof(WhoAmIResponse))]
[JsonSerializable(typeof(ClientEventHeader))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(RoomAliasResponse))]
[JsonSerializable(typeof(ReportEventRequest))]
public sealed partial class MatrixJsonContext : JsonSerializerContext;
