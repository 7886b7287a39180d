using System.Text;
using System.Text.Encodings.Web;
using Relay.Host.WebForm;

namespace Relay.Host.Dashboard;

/// <summary>
/// The frame of every dashboard page: the stylesheet and the optional refresh script from Relay itself (nothing from
/// elsewhere, no inline style or script), a skip link, the navigation and the sign-out form. Text goes through
/// <see cref="E"/>, always.
/// </summary>
public static class DashboardLayout
{
    /// <summary>The web form's policy, tightened: style and script only from Relay's own files; fetch only back to Relay (refresh).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public static string E(string? text) => Encoder.Encode(text ?? "");

    /// <summary>A page; <paramref name="signedIn"/> (with its CSRF token) adds the navigation and sign-out.</summary>
    public static HtmlPage Page(string title, string body, (string User, string Csrf)? signedIn = null, string? current = null,
        bool refresh = false, int status = StatusCodes.Status200OK, TimeSpan? retryAfter = null)
    {
        var html = new StringBuilder(8 * 1024);
        html.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"robots\" content=\"noindex\">\n<title>").Append(E(title)).Append(" – Relay moderators</title>\n")
            .Append("<link rel=\"stylesheet\" href=\"").Append(DashboardPaths.Style).Append("\">\n")
            .Append("<link rel=\"icon\" href=\"").Append(DashboardPaths.Icon).Append("\" type=\"image/svg+xml\">\n");
        if (refresh)
        {
            html.Append("<script src=\"").Append(DashboardPaths.Script).Append("\" defer></script>\n");
        }
        html.Append("</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n<header>\n<p class=\"brand\">Relay moderators</p>\n");
        if (signedIn is { } who)
        {
            html.Append("<nav aria-label=\"Dashboard\">\n<ul>\n");
            NavItem(html, DashboardPaths.Cases, "Cases", current);
            NavItem(html, DashboardPaths.Figures, "Figures", current);
            html.Append("</ul>\n</nav>\n<form class=\"signout\" method=\"post\" action=\"").Append(DashboardPaths.SignOut).Append("\">\n")
                .Append("<span>Signed in as ").Append(E(who.User)).Append("</span>\n");
            Csrf(html, who.Csrf);
            html.Append("<button type=\"submit\">Sign out</button>\n</form>\n");
        }
        html.Append("</header>\n<main id=\"main\" tabindex=\"-1\"").Append(refresh ? " data-refresh=\"30\"" : "").Append(">\n")
            .Append(body).Append("</main>\n</body>\n</html>\n");
        return new HtmlPage(html.ToString(), status, retryAfter, ContentSecurityPolicy);
    }

    public static void Csrf(StringBuilder html, string csrf) =>
        html.Append("<input type=\"hidden\" name=\"csrf\" value=\"").Append(E(csrf)).Append("\">\n");

    private static void NavItem(StringBuilder html, string href, string label, string? current) =>
        html.Append("<li><a href=\"").Append(href).Append('"').Append(current == href ? " aria-current=\"page\"" : "")
            .Append('>').Append(label).Append("</a></li>\n");
}
