using Microsoft.Extensions.Options;
using Relay.Core.Cases;
using Relay.Core.Cases.Actions;
using Relay.Core.Cases.Rooms;
using Relay.Core.Dashboard;
using Relay.Core.Escalation;
using Relay.Core.Identifiers;
using Relay.Core.Reports;
using Relay.Host.Configuration;
using Relay.Host.WebForm;

namespace Relay.Host.Dashboard;

/// <summary>
/// The moderator dashboard under <c>/_relay/</c>: sign-in by a link sent as a Matrix DM, the case list, a case with its
/// audit trail and the case room's actions, and the Figures page (<see cref="FiguresEndpoints"/>). Mapped only when
/// <c>Relay__Dashboard__Enabled</c> is true. Every POST carries a CSRF token; every page the security headers of
/// <see cref="DashboardLayout"/>.
/// </summary>
public static class DashboardEndpoints
{
    private const int PageSize = 25;

    public static bool IsEnabled(IConfiguration configuration) =>
        bool.TryParse(configuration[$"{RelayOptions.Section}:Dashboard:Enabled"], out var on) && on;

    public static IServiceCollection AddRelayDashboard(this IServiceCollection services)
    {
        services.AddSingleton<DashboardAccess>();
        services.AddSingleton<DashboardCookies>();
        services.AddSingleton<DashboardSessions>();
        services.AddSingleton<SignInLimits>();
        services.AddSingleton<SignInLinks>();
        services.AddSingleton<RoomNames>();
        services.AddHostedService(sp => sp.GetRequiredService<SignInLinks>());
        return services;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/_relay");
        group.MapGet("/", Home);
        group.MapGet("/dashboard.css", DashboardAssets.Style);
        group.MapGet("/dashboard.js", DashboardAssets.Script);
        group.MapGet("/icon.svg", DashboardAssets.Icon);
        group.MapGet("/sign-in", AskPage);
        group.MapPost("/sign-in", AskAsync).DisableAntiforgery();
        group.MapGet("/link/{token}", ConfirmPage);
        group.MapPost("/link", RedeemAsync).DisableAntiforgery();
        group.MapPost("/sign-out", SignOutAsync).DisableAntiforgery();
        group.MapGet("/cases", ListAsync);
        group.MapGet("/cases/{id}", ShowAsync);
        group.MapPost("/cases/{id}/act", ActAsync).DisableAntiforgery();
        group.MapFigures();
        return app;
    }

    private static async Task<IResult> Home(HttpContext context, DashboardSessions sessions) =>
        TypedResults.Redirect(await sessions.CurrentAsync(context) is null ? DashboardPaths.SignIn : DashboardPaths.Cases);

    private static IResult AskPage(HttpContext context, DashboardCookies cookies) => SignInPages.Ask(cookies.FormCsrf(context));

    private static async Task<IResult> AskAsync(HttpContext context, DashboardCookies cookies, SignInLimits limits, SignInLinks links,
        IOptions<RelayOptions> options)
    {
        var read = await DashboardForms.ReadAsync(context);
        if (read.Form is not { } form)
        {
            return DashboardForms.Unreadable(read);
        }
        if (!DashboardCookies.FormCsrfMatches(context, form["csrf"]))
        {
            return SignInPages.FormExpired();
        }
        if (!limits.TryAddress(ClientAddress.Of(context), out var wait))
        {
            return SignInPages.Ask(cookies.FormCsrf(context), form["matrix_id"], "Too many sign-in requests from here. Try again in a minute.",
                StatusCodes.Status429TooManyRequests, wait);
        }
        var raw = form["matrix_id"].ToString().Trim();
        if (!UserId.TryParse(raw, out var user))
        {
            return SignInPages.Ask(cookies.FormCsrf(context), raw, "That is not a Matrix ID. It looks like @you:example.org.",
                StatusCodes.Status400BadRequest);
        }
        // Over the per-ID limit, the answer is the same and nothing is sent: the ID's owner is not flooded with DMs.
        if (limits.TryUser(user))
        {
            links.Ask(user);
        }
        return SignInPages.Asked(options.Value.Dashboard.SignInLinkMinutes);
    }

    private static IResult ConfirmPage(string token, HttpContext context, DashboardCookies cookies) =>
        DashboardTokens.LooksValid(token) ? SignInPages.Confirm(token, cookies.FormCsrf(context)) : SignInPages.LinkRefused();

    private static async Task<IResult> RedeemAsync(HttpContext context, DashboardSessions sessions)
    {
        var read = await DashboardForms.ReadAsync(context);
        if (read.Form is not { } form)
        {
            return DashboardForms.Unreadable(read);
        }
        if (!DashboardCookies.FormCsrfMatches(context, form["csrf"]))
        {
            return SignInPages.FormExpired();
        }
        return await sessions.SignInAsync(context, form["token"]) ? TypedResults.Redirect(DashboardPaths.Cases) : SignInPages.LinkRefused();
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, DashboardSessions sessions)
    {
        var read = await DashboardForms.ReadAsync(context);
        if (read.Form is not { } form)
        {
            return DashboardForms.Unreadable(read);
        }
        if (await sessions.CurrentAsync(context) is not { } current || !current.CsrfMatches(form["csrf"]))
        {
            return SignInPages.FormExpired();
        }
        await sessions.SignOutAsync(context, current);
        return SignInPages.SignedOut();
    }

    private static async Task<IResult> ListAsync(HttpContext context, DashboardSessions sessions, DashboardAccess access, ICaseStore cases,
        RoomNames roomNames, TimeProvider time)
    {
        if (await sessions.CurrentAsync(context) is not { } current)
        {
            return TypedResults.Redirect(DashboardPaths.SignIn);
        }
        var filters = CaseListFilters.From(context.Request.Query);
        var now = time.GetUtcNow();
        var page = await cases.ListCasesAsync(access.Scope(current.Reader, filters.ToQuery(PageSize + 1, now)), context.RequestAborted);
        var shown = page.Take(PageSize).ToList();
        var next = page.Count > PageSize ? CaseCursor.Of(shown[^1]) : (CaseCursor?)null;
        var reasons = new Dictionary<CaseId, string?>();
        foreach (var c in shown.Where(c => c.Category?.IsChildSafety != true))
        {
            reasons[c.Id] = (await cases.GetReportsAsync(c.Id, context.RequestAborted)).FirstOrDefault(r => !string.IsNullOrWhiteSpace(r.Reason))?.Reason;
        }
        var names = await roomNames.NamesAsync(shown.Select(c => c.Target.Room).OfType<RoomId>().Concat(current.Reader.Rooms), context.RequestAborted);
        return CaseListPage.Show(new CaseListView(shown, filters, current.Reader.Rooms, next, now, reasons, names), current.Who);
    }

    private static async Task<IResult> ShowAsync(string id, HttpContext context, DashboardSessions sessions, DashboardAccess access,
        ICaseStore cases, ICaseWriteStore writes, Escalator escalator, CaseRoomSettings settings, RoomNames roomNames, TimeProvider time)
    {
        if (await sessions.CurrentAsync(context) is not { } current)
        {
            return TypedResults.Redirect(DashboardPaths.SignIn);
        }
        if (await VisibleCaseAsync(id, current, access, cases, context.RequestAborted) is not { } c)
        {
            return NotFound(current);
        }
        var ct = context.RequestAborted;
        var view = new CaseView(c, await cases.GetReportsAsync(c.Id, ct), await cases.GetAuditAsync(c.Id, ct),
            await writes.GetFollowersAsync(c.Id, ct), escalator.Policy.Tier(c.Tier)?.Name, time.GetUtcNow(),
            Status(context.Request.Query["done"]), CasePage.Offered(c, settings),
            await roomNames.NamesAsync(c.Target.Room is { } room ? [room] : [], ct));
        return CasePage.Show(view, current.Who);
    }

    private static async Task<IResult> ActAsync(string id, HttpContext context, DashboardSessions sessions, DashboardAccess access,
        ICaseStore cases, CaseRoomEvents caseRooms, CaseRoomSettings settings)
    {
        var read = await DashboardForms.ReadAsync(context);
        if (read.Form is not { } form)
        {
            return DashboardForms.Unreadable(read);
        }
        if (await sessions.CurrentAsync(context) is not { } current || !current.CsrfMatches(form["csrf"]))
        {
            return SignInPages.FormExpired();
        }
        if (await VisibleCaseAsync(id, current, access, cases, context.RequestAborted) is not { } c)
        {
            return NotFound(current);
        }
        // Any action that applies to the target, not only those the page offered: a form sent again after the state moved on
        // reaches the case room's own checks (done once, or refused with a reason) instead of a bare 400.
        var action = CaseActions.For(c, settings).FirstOrDefault(a => a.Command == form["action"]);
        var request = form["request"].ToString();
        if (action is null || request.Length != 32 || !request.All(char.IsAsciiHexDigitLower))
        {
            return DashboardLayout.Page("Not an action", "<h1>Not an action</h1>\n<p role=\"alert\">Nothing was done.</p>\n",
                current.Who, status: StatusCodes.Status400BadRequest);
        }
        var user = current.Session.User;
        var note = form["note"].ToString().Trim();
        var outcome = await caseRooms.ActAsync(c, action, action.TakesText && note.Length > 0 ? note : null, user,
            "dashboard-" + request, ct => access.MayActAsync(user, c, ct), context.RequestAborted);
        if (outcome == CaseEventOutcome.Refused)
        {
            return DashboardLayout.Page("Not allowed", """
                <h1>You may not act on this case</h1>
                <p role="alert">You do not moderate its room now (power levels are checked again for every action). Nothing was done; the refusal is in the audit trail.</p>

                """, current.Who, status: StatusCodes.Status403Forbidden);
        }
        return TypedResults.Redirect(DashboardPaths.Case(c.Id) + "?done=" + outcome.ToString().ToLowerInvariant());
    }

    /// <summary>The case if the session may see it; an unknown case and someone else's answer the same.</summary>
    private static async Task<Case?> VisibleCaseAsync(string id, CurrentSession current, DashboardAccess access, ICaseStore cases,
        CancellationToken cancellationToken) =>
        CaseId.TryParse(id, out var caseId) && await cases.GetCaseAsync(caseId, cancellationToken) is { } c && access.MaySee(current.Reader, c)
            ? c
            : null;

    private static IResult NotFound(CurrentSession current) => DashboardLayout.Page("No such case", $"""
        <h1>No such case</h1>
        <p role="alert">There is no such case among the rooms you moderate. <a href="{DashboardPaths.Cases}">All your cases</a></p>

        """, current.Who, status: StatusCodes.Status404NotFound);

    private static string? Status(string? done) => done switch
    {
        "done" => "Done. The case room was told, and the audit trail below has it.",
        "rejected" => "Not possible in the case's current state; the case room was told why.",
        "failed" => "The homeserver refused; the case room was told why. Nothing was done.",
        _ => null,
    };
}
