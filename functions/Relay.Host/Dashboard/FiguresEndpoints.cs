using Relay.Core.Dashboard;
using Relay.Core.Escalation;
using Relay.Core.Statistics;
using Relay.Core.Text;
using Relay.Host.Transparency;

namespace Relay.Host.Dashboard;

/// <summary>
/// The Figures page and the transparency download. Both count only the cases the session may see (the rule of the case
/// list: an admin every case, a moderator the rooms checked at sign-in), so the figures never tell a moderator about a
/// room they do not moderate. The download is a GET (it changes nothing, so it needs no CSRF token) behind the session.
/// </summary>
public static class FiguresEndpoints
{
    public static RouteGroupBuilder MapFigures(this RouteGroupBuilder group)
    {
        group.MapGet("/figures", ShowAsync);
        group.MapGet("/figures/transparency", DownloadAsync);
        return group;
    }

    private static async Task<IResult> ShowAsync(HttpContext context, DashboardSessions sessions, DashboardAccess access,
        CaseStatistics statistics, Escalator escalator, TimeProvider time)
    {
        if (await sessions.CurrentAsync(context) is not { } current)
        {
            return TypedResults.Redirect(DashboardPaths.SignIn);
        }
        var query = context.Request.Query;
        if (!FiguresPeriod.TryParse(query["from"], query["to"], Today(time), out var period, out var error))
        {
            return FiguresPage.Invalid(query["from"], query["to"], error, current.Who);
        }
        var figures = await statistics.GetFiguresAsync(period.Period, c => access.MaySee(current.Reader, c), context.RequestAborted);
        return FiguresPage.Show(new FiguresView(figures, period, Scope(current.Reader, access), t => escalator.Policy.Tier(t)?.Name),
            current.Who);
    }

    private static async Task<IResult> DownloadAsync(HttpContext context, DashboardSessions sessions, DashboardAccess access,
        CaseStatistics statistics, TimeProvider time)
    {
        if (await sessions.CurrentAsync(context) is not { } current)
        {
            return TypedResults.Redirect(DashboardPaths.SignIn);
        }
        var query = context.Request.Query;
        var format = query["format"].ToString() is { Length: > 0 } asked ? asked : TransparencyExport.Csv;
        if (!FiguresPeriod.TryParse(query["from"], query["to"], Today(time), out var period, out var error))
        {
            return FiguresPage.Invalid(query["from"], query["to"], error, current.Who);
        }
        if (!TransparencyExport.IsFormat(format))
        {
            return FiguresPage.Invalid(query["from"], query["to"], "The format is csv or json.", current.Who);
        }
        var report = await statistics.GetTransparencyReportAsync(period.Period, c => access.MaySee(current.Reader, c), context.RequestAborted);
        var headers = context.Response.Headers;
        headers.ContentDisposition = $"attachment; filename={TransparencyExport.FileName(period.First, period.Last, format)}";
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Text(TransparencyExport.Render(report, format), TransparencyExport.ContentType(format));
    }

    /// <summary>Whose cases the figures count, said on the page so nobody mistakes a moderator's share for the community's.</summary>
    private static string Scope(DashboardReader reader, DashboardAccess access) =>
        access.IsAdmin(reader.User)
            ? "As a community admin, you see figures for every case in the community."
            : $"These figures count only the cases about the {Counted.Of(reader.Rooms.Count, "room")} you moderate now"
              + (access.IsCommunityModerator(reader.User) ? ", and the cases about no room (reported users)." : ".");

    private static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}
