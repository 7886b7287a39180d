using Microsoft.Extensions.Options;
using Relay.Core.Dashboard;
using Relay.Host.Configuration;

namespace Relay.Host.Dashboard;

/// <summary>
/// The dashboard's two cookies, both <c>HttpOnly</c>, <c>SameSite=Strict</c>, path <c>/_relay/</c>, and <c>Secure</c>
/// when moderators reach Relay over HTTPS: the session (its token; only the hash is stored) and, before sign-in, a
/// random form cookie that the sign-in forms' CSRF tokens are derived from.
/// </summary>
public sealed class DashboardCookies(IOptions<RelayOptions> options, TimeProvider time)
{
    public const string Session = "relay_session";
    public const string Form = "relay_form";

    public static string? SessionToken(HttpContext context) => Valid(context.Request.Cookies[Session]);

    public void SetSession(HttpContext context, string token) =>
        context.Response.Cookies.Append(Session, token, Options(context, time.GetUtcNow().AddHours(options.Value.Dashboard.SessionHours)));

    public void ClearSession(HttpContext context) =>
        context.Response.Cookies.Append(Session, "", Options(context, DateTimeOffset.UnixEpoch));

    /// <summary>The pre-session form cookie, set now if the browser has none; the CSRF token for the sign-in forms.</summary>
    public string FormCsrf(HttpContext context)
    {
        if (Valid(context.Request.Cookies[Form]) is not { } token)
        {
            token = DashboardTokens.New();
            context.Response.Cookies.Append(Form, token, Options(context, null));
        }
        return DashboardTokens.CsrfFor(token);
    }

    /// <summary>Whether a sign-in form came with the CSRF token of this browser's form cookie.</summary>
    public static bool FormCsrfMatches(HttpContext context, string? posted) =>
        Valid(context.Request.Cookies[Form]) is { } token && DashboardTokens.AreEqual(DashboardTokens.CsrfFor(token), posted);

    private CookieOptions Options(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = options.Value.Dashboard.IsHttps || context.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = DashboardPaths.Root,
        Expires = expires,
        IsEssential = true,
    };

    private static string? Valid(string? token) => DashboardTokens.LooksValid(token) ? token : null;
}
