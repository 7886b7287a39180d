using Microsoft.AspNetCore.Http;
using Relay.TestHomeserver.Http;
using Relay.TestHomeserver.State;

namespace Relay.TestHomeserver.Auth;

/// <summary>Reads the access token (Authorization: Bearer, or the deprecated access_token query parameter) and resolves the caller.</summary>
internal sealed class Authenticator(AppserviceRegistration appservice, HomeserverState state)
{
    /// <summary>The token given, or null when none; throws M_MISSING_TOKEN for malformed or doubled credentials.</summary>
    public static string? ReadToken(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        var query = request.Query["access_token"];
        if (header.Count > 1 || query.Count > 1)
        {
            throw MatrixException.MissingToken("More than one access token given");
        }

        string? fromHeader = null;
        if (header.Count == 1)
        {
            var value = header[0] ?? "";
            if (!value.StartsWith("Bearer ", StringComparison.Ordinal) || value.Length <= "Bearer ".Length)
            {
                throw MatrixException.MissingToken("Authorization header is not 'Bearer <token>'");
            }

            fromHeader = value["Bearer ".Length..];
        }

        if (fromHeader is not null && query.Count == 1)
        {
            throw MatrixException.MissingToken("Access token given in both the Authorization header and the query string");
        }

        return fromHeader ?? (query.Count == 1 ? query[0] : null);
    }

    /// <summary>Resolves a token to the caller, applying appservice masquerading via ?user_id=.</summary>
    public Caller Resolve(string token, HttpRequest request)
    {
        if (token == appservice.AsToken)
        {
            var userId = request.Query["user_id"];
            if (userId.Count == 0)
            {
                return new Caller(appservice.SenderUserId, null, IsAppservice: true, $"as|{appservice.SenderUserId}");
            }

            var masquerade = userId[0] ?? "";
            if (userId.Count > 1 || !appservice.OwnsUser(masquerade))
            {
                throw MatrixException.Forbidden("Application service has not registered this user.");
            }

            return new Caller(masquerade, null, IsAppservice: true, $"as|{masquerade}");
        }

        var owner = state.ResolveToken(token) ?? throw MatrixException.UnknownToken();
        return new Caller(owner.UserId, owner.DeviceId, IsAppservice: false, $"token|{token}");
    }

    /// <summary>The user a request would act as, or null; never throws (used for recording).</summary>
    public string? TryResolveUser(HttpRequest request)
    {
        try
        {
            var token = ReadToken(request);
            return token is null ? null : Resolve(token, request).UserId;
        }
        catch (MatrixException)
        {
            return null;
        }
    }
}
