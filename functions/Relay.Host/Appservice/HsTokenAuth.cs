using System.Security.Cryptography;
using System.Text;
using Microsoft.Net.Http.Headers;
using Relay.Core.Errors;

namespace Relay.Host.Appservice;

/// <summary>
/// The homeserver's credentials on every appservice call: <c>Authorization: Bearer &lt;hs_token&gt;</c> or the
/// legacy <c>?access_token=</c>. Compared as SHA-256 hashes with a fixed-time comparison, so neither the
/// token's length nor its prefix leaks through timing.
/// </summary>
public sealed class HsTokenAuth
{
    private readonly byte[] _expected;

    public HsTokenAuth(string hsToken) => _expected = SHA256.HashData(Encoding.UTF8.GetBytes(hsToken));

    /// <summary>Null when authorised; else 401 (no credentials) or 403 (wrong ones), as application-service/*.yaml say.</summary>
    public MatrixError? Check(HttpRequest request)
    {
        var token = Read(request);
        if (token is null)
        {
            return new MatrixError(401, "M_UNAUTHORIZED", "No hs_token given: send 'Authorization: Bearer <hs_token>'.");
        }
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        return CryptographicOperations.FixedTimeEquals(given, _expected)
            ? null
            : MatrixError.Forbidden("The hs_token does not match Relay's registration.");
    }

    private static string? Read(HttpRequest request)
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
