using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Relay.Core.Errors;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Matrix.Wire;

namespace Relay.Matrix.Client;

/// <summary>
/// Calls the homeserver with a reporter's own token. A reporter is waiting on the other end, so
/// there is no retry loop here: a failure becomes a Matrix error the client can retry.
/// </summary>
public sealed class HomeserverClient(HttpClient http) : IHomeserver
{
    public async Task<TokenOwner> WhoAmIAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        using var request = Authorized(HttpMethod.Get, MatrixPaths.WhoAmI, accessToken);
        var body = await SendAsync(request, MatrixJsonContext.Default.WhoAmIResponse, MapWhoAmIError, cancellationToken);
        if (!UserId.TryParse(body.UserId, out var userId))
        {
            throw new MatrixException(MatrixError.HomeserverUnavailable());
        }
        return new TokenOwner(userId, body.IsGuest ?? false);
    }

    public async Task<EventFacts> GetEventAsync(string accessToken, RoomId room, EventId eventId,
        CancellationToken cancellationToken = default)
    {
        using var request = Authorized(HttpMethod.Get, MatrixPaths.Event(room, eventId), accessToken);
        var body = await SendAsync(request, MatrixJsonContext.Default.ClientEventHeader, MapEventError, cancellationToken);
        if (!UserId.TryParse(body.Sender, out var sender) || string.IsNullOrEmpty(body.Type))
        {
            throw new MatrixException(MatrixError.HomeserverUnavailable());
        }
        return new EventFacts(room, eventId, sender, body.Type);
    }

    public async Task<RoomId> ResolveRoomAliasAsync(string accessToken, RoomAlias alias,
        CancellationToken cancellationToken = default)
    {
        using var request = Authorized(HttpMethod.Get, MatrixPaths.RoomAlias(alias), accessToken);
        var body = await SendAsync(request, MatrixJsonContext.Default.RoomAliasResponse, MapAliasError, cancellationToken);
        return RoomId.TryParse(body.RoomId, out var room)
            ? room
            : throw new MatrixException(MatrixError.HomeserverUnavailable());
    }

    public async Task<UserId?> FindInviterAsync(string accessToken, UserId invitee, RoomId room, CancellationToken cancellationToken = default)
    {
        using var request = Authorized(HttpMethod.Get, MatrixPaths.InviteSync(invitee, room), accessToken);
        var body = await SendAsync(request, MatrixJsonContext.Default.InviteSyncResponse, MapWhoAmIError, cancellationToken);
        return InviteLookup.Inviter(body, invitee, room);
    }

    public async Task ForwardEventReportAsync(string accessToken, RoomId room, EventId eventId, string? reason, long? score,
        CancellationToken cancellationToken = default)
    {
        using var request = Authorized(HttpMethod.Post, MatrixPaths.ReportEvent(room, eventId), accessToken);
        request.Content = JsonContent.Create(new ReportEventRequest(reason, score), MatrixJsonContext.Default.ReportEventRequest);
        using var response = await SendRawAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new MatrixException(await ReadErrorAsync(response, cancellationToken));
        }
    }

    private static HttpRequestMessage Authorized(HttpMethod method, string path, string accessToken)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return request;
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type,
        Func<MatrixError, MatrixError> mapError, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new MatrixException(mapError(await ReadErrorAsync(response, cancellationToken)));
        }
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken)
                ?? throw new MatrixException(MatrixError.HomeserverUnavailable());
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException)
        {
            throw new MatrixException(MatrixError.HomeserverUnavailable(), e);
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException
            || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new MatrixException(MatrixError.HomeserverUnavailable(), e);
        }
    }

    /// <summary>Reads a Matrix error body; anything else from the homeserver is "unavailable".</summary>
    private static async Task<MatrixError> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return MatrixError.HomeserverUnavailable();
        }
        try
        {
            var body = await response.Content.ReadFromJsonAsync(MatrixJsonContext.Default.ErrorResponse, cancellationToken);
            if (body?.ErrCode is { Length: > 0 } errcode)
            {
                return new MatrixError(status, errcode, body.Error ?? errcode, body.RetryAfterMs);
            }
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException or NotSupportedException)
        {
            // Not a Matrix error body: fall through.
        }
        return MatrixError.HomeserverUnavailable();
    }

    private static MatrixError MapWhoAmIError(MatrixError error) => error.Status switch
    {
        401 => MatrixError.UnknownToken(),
        403 => MatrixError.Forbidden("The homeserver refused this access token."),
        429 => error,
        _ => MatrixError.HomeserverUnavailable(),
    };

    private static MatrixError MapAliasError(MatrixError error) => error.Status switch
    {
        401 => MatrixError.UnknownToken(),
        404 => MatrixError.NotFound("No room has this alias."),
        429 => error,
        _ => MatrixError.HomeserverUnavailable(),
    };

    /// <summary>The spec answers 404 for "not found or not joined"; some servers say 403. Both mean the same to a reporter.</summary>
    private static MatrixError MapEventError(MatrixError error) => error.Status switch
    {
        401 => MatrixError.UnknownToken(),
        403 or 404 => MatrixError.NotFound("The event was not found or you are not joined to the room."),
        429 => error,
        _ => MatrixError.HomeserverUnavailable(),
    };
}
