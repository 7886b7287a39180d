using Relay.Host.Http;

namespace Relay.Host.Dashboard;

/// <summary>The dashboard's forms are a few short fields; anything else is refused with a page before it is read.</summary>
public static class DashboardForms
{
    public const int MaxBodyBytes = 16 * 1024;

    public static Task<FormRead> ReadAsync(HttpContext context) => FormBody.ReadAsync(context, MaxBodyBytes, context.RequestAborted);

    public static IResult Unreadable(FormRead read) => DashboardLayout.Page("Form not read", $"""
        <h1>The form could not be read</h1>
        <p role="alert">{DashboardLayout.E(read.Problem)} Nothing was done.</p>
        <p><a href="{DashboardPaths.Root}">Start again</a></p>

        """, status: read.Status);
}
