using Microsoft.Net.Http.Headers;

namespace Relay.Host.Http;

/// <summary>The caller's access token: <c>Authorization: Bearer</c>, or the deprecated <c>?access_token=</c>.</summary>
public static class AccessToken
{
    public static string? From(HttpRequest request)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header["Bearer ".Length..].Trim();
            return token.Length > 0 ? token : null;
        }
        var query = request.Query["access_token"].ToString();
        return query.Length > 0 ? query : null;
    }
}
