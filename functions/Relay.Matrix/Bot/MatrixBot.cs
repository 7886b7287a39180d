using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;
using Relay.Core.Errors;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Matrix.Wire;

namespace Relay.Matrix.Bot;

/// <summary>
/// <see cref="IMatrixBot"/> over the client-server API with the appservice's <c>as_token</c>. Runs from
/// queue handlers, where nobody is waiting: a 429 waits its <c>retry_after_ms</c>, a 5xx, timeout or lost
/// connection backs off exponentially with jitter, both bounded by <see cref="MatrixBotOptions.MaxAttempts"/>
/// (<see cref="MatrixRetries"/>). Waits go through the injected <see cref="TimeProvider"/>, so tests never sleep.
/// </summary>
public sealed class MatrixBot : IMatrixBot
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly MatrixBotOptions _options;
    private readonly TimeProvider _time;
    private readonly UserId? _masquerade;
    private readonly ResiliencePipeline<MatrixAttempt> _retries;

    public MatrixBot(HttpClient http, MatrixBotOptions options, TimeProvider time)
        : this(http, options, time, null)
    {
    }

    private MatrixBot(HttpClient http, MatrixBotOptions options, TimeProvider time, UserId? masquerade)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1);
        _http = http;
        _options = options;
        _time = time;
        _masquerade = masquerade;
        _retries = MatrixRetries.Pipeline(options, time);
    }

    public UserId UserId => _masquerade ?? _options.BotUser;

    public IMatrixBot ActingAs(UserId user) =>
        user == _options.BotUser ? new MatrixBot(_http, _options, _time) : new MatrixBot(_http, _options, _time, user);

    public async Task<RoomId> JoinAsync(string roomIdOrAlias, string? reason = null, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Post, BotPaths.Join(roomIdOrAlias), WithReason([], reason), cancellationToken);
        return ReadRoomId(body);
    }

    public async Task LeaveAsync(RoomId room, string? reason = null, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Post, BotPaths.Room(room, "leave"), WithReason([], reason), cancellationToken);

    public async Task<RoomId> CreateRoomAsync(RoomCreation request, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Post, BotPaths.CreateRoom, CreateRoomBody(request), cancellationToken);
        return ReadRoomId(body);
    }

    public async Task<RoomId?> ResolveAliasAsync(RoomAlias alias, CancellationToken cancellationToken = default)
    {
        try
        {
            var body = await SendAsync(HttpMethod.Get, BotPaths.Alias(alias), null, cancellationToken);
            return ReadRoomId(body);
        }
        catch (MatrixException e) when (e.Error.Status == 404)
        {
            return null;
        }
    }

    public Task InviteAsync(RoomId room, UserId user, string? reason = null, CancellationToken cancellationToken = default) =>
        Membership(room, "invite", user, reason, cancellationToken);

    public Task KickAsync(RoomId room, UserId user, string? reason = null, CancellationToken cancellationToken = default) =>
        Membership(room, "kick", user, reason, cancellationToken);

    public Task BanAsync(RoomId room, UserId user, string? reason = null, CancellationToken cancellationToken = default) =>
        Membership(room, "ban", user, reason, cancellationToken);

    public async Task<EventId> RedactAsync(RoomId room, EventId eventId, string txnId, string? reason = null,
        CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Put, BotPaths.Redact(room, eventId, txnId), WithReason([], reason), cancellationToken);
        return ReadEventId(body);
    }

    public Task<EventId> SendMessageAsync(RoomId room, string txnId, MatrixMessage message, CancellationToken cancellationToken = default)
    {
        var content = new JsonObject { ["msgtype"] = message.Notice ? "m.notice" : "m.text", ["body"] = message.Body };
        if (message.HtmlBody is not null)
        {
            content["format"] = "org.matrix.custom.html";
            content["formatted_body"] = message.HtmlBody;
        }
        return SendEventAsync(room, "m.room.message", txnId, content, cancellationToken);
    }

    public async Task<EventId> SendEventAsync(RoomId room, string eventType, string txnId, JsonObject content,
        CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Put, BotPaths.Send(room, eventType, txnId), content, cancellationToken);
        return ReadEventId(body);
    }

    public async Task<EventId> SendStateAsync(RoomId room, string eventType, string stateKey, JsonObject content,
        CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Put, BotPaths.State(room, eventType, stateKey), content, cancellationToken);
        return ReadEventId(body);
    }

    public async Task<JsonObject?> GetStateAsync(RoomId room, string eventType, string stateKey = "",
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, BotPaths.State(room, eventType, stateKey), null, cancellationToken);
        }
        catch (MatrixException e) when (e.Error.Status == 404)
        {
            return null;
        }
    }

    public async Task<RoomEvent?> GetStateEventAsync(RoomId room, string eventType, string stateKey = "",
        CancellationToken cancellationToken = default)
    {
        JsonObject body;
        try
        {
            body = await SendAsync(HttpMethod.Get, BotPaths.State(room, eventType, stateKey) + "?format=event", null, cancellationToken);
        }
        catch (MatrixException e) when (e.Error.Status == 404)
        {
            return null;
        }
        // Synapse before 1.135 leaves event_id out of ?format=event; the full state carries it on every version.
        if (Str(body, "type") is null || body["content"] is not JsonObject || Str(body, "event_id") is null)
        {
            body = await FindInFullStateAsync(room, eventType, stateKey, cancellationToken) ?? [];
            if (body.Count == 0)
            {
                return null;
            }
        }
        return ToRoomEvent(room, body);
    }

    private async Task<JsonObject?> FindInFullStateAsync(RoomId room, string eventType, string stateKey, CancellationToken cancellationToken)
    {
        var events = await SendArrayAsync(BotPaths.Room(room, "state"), cancellationToken);
        return events.OfType<JsonObject>().FirstOrDefault(e => Str(e, "type") == eventType && Str(e, "state_key") == stateKey);
    }

    private async Task<JsonArray> SendArrayAsync(string path, CancellationToken cancellationToken)
    {
        var wrapped = await SendAsync(HttpMethod.Get, path, null, cancellationToken, wrapArray: true);
        return wrapped["array"] as JsonArray ?? [];
    }

    private static RoomEvent ToRoomEvent(RoomId room, JsonObject body)
    {
        if (!UserId.TryParse(Str(body, "sender"), out var sender) || Str(body, "type") is not { Length: > 0 } type
            || !EventId.TryParse(Str(body, "event_id"), out var eventId))
        {
            throw Malformed("an event without sender, type or event_id");
        }
        return new RoomEvent(room, eventId, sender, type, Str(body, "state_key"), body["content"] as JsonObject ?? []);
    }

    public async Task<IReadOnlyList<UserId>> GetJoinedMembersAsync(RoomId room, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Get, BotPaths.Room(room, "joined_members"), null, cancellationToken);
        if (body["joined"] is not JsonObject joined)
        {
            throw Malformed("joined_members without 'joined'");
        }
        var members = new List<UserId>(joined.Count);
        foreach (var (user, _) in joined)
        {
            if (UserId.TryParse(user, out var id))
            {
                members.Add(id);
            }
        }
        return members;
    }

    public async Task<IReadOnlyList<UserId>> GetInvitedMembersAsync(RoomId room, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Get, BotPaths.Room(room, "members") + "?membership=invite", null, cancellationToken);
        if (body["chunk"] is not JsonArray chunk)
        {
            throw Malformed("members without 'chunk'");
        }
        var members = new List<UserId>(chunk.Count);
        foreach (var member in chunk)
        {
            if (member is JsonObject e && Str(e, "state_key") is { } key && UserId.TryParse(key, out var id)
                && e["content"]?["membership"] is JsonValue m && m.TryGetValue<string>(out var membership) && membership == "invite")
            {
                members.Add(id);
            }
        }
        return members;
    }

    public async Task<RoomEvent?> GetEventAsync(RoomId room, EventId eventId, CancellationToken cancellationToken = default)
    {
        if (await GetEventJsonAsync(room, eventId, cancellationToken) is not { } body)
        {
            return null;
        }
        if (!UserId.TryParse(Str(body, "sender"), out var sender) || Str(body, "type") is not { Length: > 0 } type)
        {
            throw Malformed("an event without sender or type");
        }
        return new RoomEvent(room, eventId, sender, type, Str(body, "state_key"), body["content"] as JsonObject ?? []);
    }

    public async Task<JsonObject?> GetEventJsonAsync(RoomId room, EventId eventId, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, BotPaths.Event(room, eventId), null, cancellationToken);
        }
        catch (MatrixException e) when (e.Error.Status == 404)
        {
            return null;
        }
    }

    public async Task<TimelinePage> GetEventsBySenderAsync(RoomId room, UserId sender, string? from, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var filter = JsonSerializer.Serialize(new SenderFilter([sender.Value]), MatrixJsonContext.Default.SenderFilter);
        var query = $"?dir=b&limit={limit.ToString(CultureInfo.InvariantCulture)}&filter={Uri.EscapeDataString(filter)}"
                    + (from is null ? "" : "&from=" + Uri.EscapeDataString(from));
        var body = await SendAsync(HttpMethod.Get, BotPaths.Room(room, "messages") + query, null, cancellationToken);
        var page = body.Deserialize(MatrixJsonContext.Default.MessagesResponse) ?? throw Malformed("an empty messages page");
        var events = new List<TimelineEvent>();
        foreach (var e in page.Chunk ?? [])
        {
            if (!EventId.TryParse(e.EventId, out var id) || !UserId.TryParse(e.Sender, out var by) || e.Type is not { Length: > 0 } type)
            {
                throw Malformed("a messages page with an event without event_id, sender or type");
            }
            var redacted = e.Unsigned?.RedactedBecause is { ValueKind: not JsonValueKind.Null };
            events.Add(new TimelineEvent(id, by, type, e.StateKey is not null, redacted,
                DateTimeOffset.FromUnixTimeMilliseconds(e.OriginServerTs ?? 0)));
        }
        // An empty page with an end token still means "more may follow"; the caller bounds how many pages it reads.
        return new TimelinePage(events, page.End);
    }

    public async Task<TimeSpan> PingAsync(string? transactionId = null, CancellationToken cancellationToken = default)
    {
        var request = transactionId is null ? new JsonObject() : new JsonObject { ["transaction_id"] = transactionId };
        // The ping's 502 and 504 answers (M_BAD_STATUS, M_CONNECTION_*) are verdicts, not outages: no retry.
        var body = await SendAsync(HttpMethod.Post, BotPaths.Ping(_options.AppserviceId), request, cancellationToken,
            retryServerErrors: false);
        return body["duration_ms"] is JsonValue value && value.TryGetValue<long>(out var ms)
            ? TimeSpan.FromMilliseconds(ms)
            : throw Malformed("a ping answer without duration_ms");
    }

    private async Task Membership(RoomId room, string action, UserId user, string? reason, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Post, BotPaths.Room(room, action), WithReason(new JsonObject { ["user_id"] = user.Value }, reason),
            cancellationToken);

    /// <summary>
    /// One call with retries (<see cref="MatrixRetries"/>: Polly, with jitter). Every request Relay makes is safe to
    /// repeat: PUTs carry a transaction ID, and a repeated membership change or room creation fails with a Matrix error
    /// the caller handles.
    /// </summary>
    private async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken,
        bool wrapArray = false, bool retryServerErrors = true)
    {
        try
        {
            return await SendWithRetriesAsync(method, path, body, wrapArray, retryServerErrors, cancellationToken);
        }
        catch (MatrixException e) when (e.Step is null)
        {
            // The step goes to the log of a failed delivery, so an operator sees which request the homeserver refused.
            throw new MatrixException(e.Error, e.InnerException ?? e) { Step = StepOf(method, path) };
        }
    }

    /// <summary>The method and path, user IDs (a reporter may be one) shown as <c>{user}</c>.</summary>
    public static string StepOf(HttpMethod method, string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var segments = (query < 0 ? path : path[..query]).Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (Uri.UnescapeDataString(segments[i]).StartsWith('@'))
            {
                segments[i] = "{user}";
            }
        }
        var joined = string.Join('/', segments);
        return $"{method.Method} {(joined.StartsWith('/') ? "" : "/")}{joined}";
    }

    private async Task<JsonObject> SendWithRetriesAsync(HttpMethod method, string path, JsonObject? body,
        bool wrapArray, bool retryServerErrors, CancellationToken cancellationToken)
    {
        var payload = body?.ToJsonString();
        MatrixAttempt outcome;
        try
        {
            outcome = await _retries.ExecuteAsync(
                ct => new ValueTask<MatrixAttempt>(AttemptAsync(method, path, payload, wrapArray, retryServerErrors, ct)), cancellationToken);
        }
        catch (Exception e) when (MatrixRetries.IsTransient(e, cancellationToken))
        {
            var timedOut = e is TaskCanceledException;
            throw new MatrixException(new MatrixError(timedOut ? 504 : 502, "M_UNKNOWN",
                timedOut ? "The homeserver did not answer in time." : "The homeserver could not be reached."), e);
        }
        return outcome.Body ?? throw new MatrixException(outcome.Error!);
    }

    /// <summary>One try: the answer, or the homeserver's error with whether (and when) it may be tried again.</summary>
    private async Task<MatrixAttempt> AttemptAsync(HttpMethod method, string path, string? payload, bool wrapArray, bool retryServerErrors,
        CancellationToken cancellationToken)
    {
        using var request = Build(method, path, payload);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var node = await ReadNodeAsync(response, cancellationToken);
            return new MatrixAttempt(node switch
            {
                JsonObject obj => obj,
                JsonArray array when wrapArray => new JsonObject { ["array"] = array },
                _ => throw Malformed($"an unexpected {status} answer"),
            }, null, false, null);
        }
        var error = await ReadErrorAsync(response, cancellationToken);
        // retry_after_ms from the body, else the Retry-After header, else the ordinary backoff.
        TimeSpan? retryAfter = status != 429 ? null
            : error.RetryAfterMs is { } ms ? TimeSpan.FromMilliseconds(ms)
            : response.Headers.RetryAfter?.Delta;
        return new MatrixAttempt(null, error, status == 429 || (status >= 500 && retryServerErrors), retryAfter);
    }

    private HttpRequestMessage Build(HttpMethod method, string path, string? payload)
    {
        if (_masquerade is { } user)
        {
            path += "?user_id=" + Uri.EscapeDataString(user.Value);
        }
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.AsToken);
        if (payload is not null)
        {
            request.Content = new StringContent(payload, Encoding.UTF8);
            request.Content.Headers.ContentType = Json;
        }
        return request;
    }

    private static async Task<JsonObject?> ReadObjectAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await ReadNodeAsync(response, cancellationToken) as JsonObject;

    private static async Task<JsonNode?> ReadNodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The homeserver's own errcode and message when it sent a Matrix error body, else M_UNKNOWN with the status.</summary>
    private static async Task<MatrixError> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await ReadObjectAsync(response, cancellationToken);
        if (body is not null && Str(body, "errcode") is { Length: > 0 } errcode)
        {
            long? retryAfter = body["retry_after_ms"] is JsonValue v && v.TryGetValue<long>(out var ms) ? ms : null;
            return new MatrixError(status, errcode, Str(body, "error") ?? errcode, retryAfter);
        }
        return new MatrixError(status, "M_UNKNOWN",
            $"The homeserver answered {status.ToString(CultureInfo.InvariantCulture)} without a Matrix error.");
    }

    private static JsonObject WithReason(JsonObject body, string? reason)
    {
        if (reason is not null)
        {
            body["reason"] = reason;
        }
        return body;
    }

    private static JsonObject CreateRoomBody(RoomCreation request)
    {
        var body = new JsonObject();
        Set(body, "preset", request.Preset);
        Set(body, "visibility", request.Visibility);
        Set(body, "room_alias_name", request.RoomAliasName);
        Set(body, "name", request.Name);
        Set(body, "topic", request.Topic);
        Set(body, "room_version", request.RoomVersion);
        if (request.Invite.Count > 0)
        {
            body["invite"] = new JsonArray([.. request.Invite.Select(u => (JsonNode)JsonValue.Create(u.Value))]);
        }
        if (request.CreationContent is not null)
        {
            body["creation_content"] = request.CreationContent.DeepClone();
        }
        if (request.InitialState.Count > 0)
        {
            body["initial_state"] = new JsonArray([.. request.InitialState.Select(s => (JsonNode)new JsonObject
            {
                ["type"] = s.Type,
                ["state_key"] = s.StateKey,
                ["content"] = s.Content.DeepClone(),
            })]);
        }
        if (request.IsDirect)
        {
            body["is_direct"] = true;
        }
        if (request.PowerLevelContentOverride is not null)
        {
            body["power_level_content_override"] = request.PowerLevelContentOverride.DeepClone();
        }
        return body;
    }

    private static void Set(JsonObject body, string name, string? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }

    private static string? Str(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    private static RoomId ReadRoomId(JsonObject body) =>
        RoomId.TryParse(Str(body, "room_id"), out var room) ? room : throw Malformed("an answer without a valid room_id");

    private static EventId ReadEventId(JsonObject body) =>
        EventId.TryParse(Str(body, "event_id"), out var id) ? id : throw Malformed("an answer without a valid event_id");

    private static MatrixException Malformed(string what) =>
        new(new MatrixError(502, "M_UNKNOWN", $"The homeserver sent {what}."));
}
