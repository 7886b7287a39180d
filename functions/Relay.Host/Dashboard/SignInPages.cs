using System.Text;
using static Relay.Host.Dashboard.DashboardLayout;

namespace Relay.Host.Dashboard;

/// <summary>The pages before a session: ask for a link, the same answer for everyone, confirm the link, and the refusals.</summary>
public static class SignInPages
{
    public static IResult Ask(string csrf, string? matrixId = null, string? problem = null, int status = StatusCodes.Status200OK,
        TimeSpan? retryAfter = null)
    {
        var html = new StringBuilder();
        html.Append("<h1>Sign in</h1>\n");
        if (problem is not null)
        {
            html.Append("<div class=\"problem\" role=\"alert\"><p>").Append(E(problem)).Append("</p></div>\n");
        }
        html.Append("<p>Enter your Matrix ID. If you moderate a room Relay protects, Relay's bot sends you a sign-in link by direct message.</p>\n")
            .Append("<form method=\"post\" action=\"").Append(DashboardPaths.SignIn).Append("\">\n");
        Csrf(html, csrf);
        html.Append("<p><label for=\"matrix_id\">Matrix ID</label>\n")
            .Append("<input type=\"text\" id=\"matrix_id\" name=\"matrix_id\" required autocomplete=\"username\" spellcheck=\"false\" ")
            .Append("placeholder=\"@you:example.org\" aria-describedby=\"matrix_id-hint\" value=\"").Append(E(matrixId)).Append("\"></p>\n")
            .Append("<p class=\"muted\" id=\"matrix_id-hint\">Like @you:example.org. No password: the link in your DMs is the proof.</p>\n")
            .Append("<p><button type=\"submit\">Send me a sign-in link</button></p>\n</form>\n");
        return Page("Sign in", html.ToString(), status: status, retryAfter: retryAfter);
    }

    /// <summary>The one answer to every well-formed ask, so it never tells whether the ID moderates anything.</summary>
    public static IResult Asked(int minutes) => Page("Check your Matrix messages", $"""
        <h1>Check your Matrix messages</h1>
        <p role="status">If that Matrix ID moderates a room Relay protects, Relay's bot is sending it a direct message with a
        sign-in link. The link works once, for {minutes} minutes.</p>
        <p><a href="{DashboardPaths.SignIn}">Ask for another link</a></p>

        """);

    /// <summary>Opening a link does not sign in (link previews would use it up); the button does.</summary>
    public static IResult Confirm(string token, string csrf)
    {
        var html = new StringBuilder();
        html.Append("<h1>Sign in to Relay</h1>\n<p>You opened a sign-in link. Continue to sign in in this browser.</p>\n")
            .Append("<form method=\"post\" action=\"").Append(DashboardPaths.Link.TrimEnd('/')).Append("\">\n");
        Csrf(html, csrf);
        html.Append("<input type=\"hidden\" name=\"token\" value=\"").Append(E(token)).Append("\">\n")
            .Append("<p><button type=\"submit\">Continue</button></p>\n</form>\n");
        return Page("Sign in", html.ToString());
    }

    public static IResult LinkRefused() => Page("Sign-in link not valid", $"""
        <h1>This sign-in link is not valid</h1>
        <p role="alert">It has expired, was used already, or was not sent by Relay. Links work once, for a few minutes.</p>
        <p><a href="{DashboardPaths.SignIn}">Ask for a new link</a></p>

        """, status: StatusCodes.Status400BadRequest);

    public static IResult SignedOut() => Page("Signed out", $"""
        <h1>You are signed out</h1>
        <p role="status"><a href="{DashboardPaths.SignIn}">Sign in again</a></p>

        """);

    public static IResult FormExpired() => Page("Form expired", $"""
        <h1>This form has expired</h1>
        <p role="alert">The page was open too long, or cookies are off for this site. Nothing was done.</p>
        <p><a href="{DashboardPaths.Root}">Start again</a></p>

        """, status: StatusCodes.Status403Forbidden);
}
