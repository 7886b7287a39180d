using System.Globalization;
using System.Text;

namespace Relay.Host.WebForm;

/// <summary>
/// An HTML answer with the web form's security headers: nothing may load from elsewhere, no script runs, the
/// form posts only back to Relay, no site may frame the page, and no referrer leaks the page's address.
/// Pages may echo what the user typed, so nothing caches them. The dashboard passes its own, stricter policy.
/// </summary>
public sealed class HtmlPage(string html, int statusCode = StatusCodes.Status200OK, TimeSpan? retryAfter = null,
    string contentSecurityPolicy = HtmlPage.ContentSecurityPolicy)
    : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

    public int? StatusCode => statusCode;

    public string ContentType => "text/html; charset=utf-8";

    public string Html => html;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = ContentType;
        var headers = response.Headers;
        headers.ContentSecurityPolicy = contentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        if (retryAfter is { } wait)
        {
            headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        var body = Encoding.UTF8.GetBytes(html);
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }
}
