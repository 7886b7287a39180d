using System.Text;
using Relay.Core.Cases;
using Relay.Core.Cases.Actions;
using Relay.Core.Cases.Rooms;
using Relay.Core.Identifiers;
using Relay.Core.Reports;
using Relay.Core.Text;
using static Relay.Host.Dashboard.DashboardLayout;

namespace Relay.Host.Dashboard;

/// <summary>What the case page shows. <see cref="Followers"/> are the only reporters named: those who opted in.</summary>
public sealed record CaseView(
    Case Case,
    IReadOnlyList<Report> Reports,
    IReadOnlyList<AuditEntry> Audit,
    IReadOnlyList<UserId> Followers,
    string? TierName,
    DateTimeOffset Now,
    string? Status,
    IReadOnlyList<ICaseAction> Offered,
    IReadOnlyDictionary<RoomId, string> RoomNames);

/// <summary>
/// One case: its facts, its reports (reasons, never reporters, except the e-mail address a web-form reporter gave so the
/// moderators may contact them; for child safety no reasons), its audit trail in words, and the case room's actions that
/// apply to it, each a form of its own run by the same code as the case room's commands.
/// </summary>
public static class CasePage
{
    /// <summary>
    /// What the page offers: the actions that apply to the target (as the case room's summary offers them) and that the case's
    /// state still allows; acknowledging only while nobody has.
    /// </summary>
    public static IReadOnlyList<ICaseAction> Offered(Case c, CaseRoomSettings settings) =>
        [.. CaseActions.For(c, settings).Where(a => c.State.IsOpen()
            && (a.Trigger != CaseTrigger.Acknowledge || c.State == CaseState.Open)
            && CaseWorkflow.Transition(c.State, a.Trigger) is not TransitionOutcome.Refused)];

    public static IResult Show(CaseView view, (string User, string Csrf) signedIn)
    {
        var c = view.Case;
        var childSafety = IsChildSafety(view);
        var html = new StringBuilder(16 * 1024);
        html.Append("<h1>Case ").Append(E(c.Id.Short)).Append("</h1>\n");
        if (view.Status is not null)
        {
            html.Append("<p class=\"status\" role=\"status\">").Append(E(view.Status)).Append("</p>\n");
        }
        html.Append("<dl>\n");
        Fact(html, "Reference", $"<code>{E(c.Id.Value)}</code>");
        Fact(html, "State", E(c.State.ToString()));
        Fact(html, "Category", E(HarmCategory.LabelOf(c.Category)));
        Fact(html, "Tier", $"{c.Tier}{(view.TierName is null ? "" : " (" + E(view.TierName) + ")")}");
        Fact(html, "Next deadline", CaseListPage.Deadline(c.NextDueAt, view.Now));
        Fact(html, "Reported", Target(c.Target, childSafety, view.RoomNames));
        Fact(html, "Reporters", $"{Counted.Of(c.ReporterCount, "distinct reporter")}, {Counted.Of(c.ReportCount, "report")}");
        Fact(html, "Opened", CaseListPage.Time(c.OpenedAt));
        Fact(html, "Updated", CaseListPage.Time(c.UpdatedAt));
        if (c.CaseRoom is { } room)
        {
            Fact(html, "Case room", $"<a href=\"https://matrix.to/#/{E(Uri.EscapeDataString(room.Value))}\">{E(room.Value)}</a>");
        }
        Fact(html, "Following", view.Followers.Count == 0
            ? "<span class=\"muted\">no reporter opted in</span>"
            : string.Join(", ", view.Followers.Select(f => E(f.Value))));
        html.Append("</dl>\n");
        ActionForms(html, c, view.Offered, signedIn.Csrf);
        Reports(html, view.Reports, childSafety);
        Audit(html, view.Audit);
        return Page("Case " + c.Id.Short, html.ToString(), signedIn, DashboardPaths.Cases);
    }

    private static bool IsChildSafety(CaseView view) =>
        view.Case.Category?.IsChildSafety == true || view.Reports.Any(r => r.Category?.IsChildSafety == true);

    private static string Target(ReportTarget target, bool childSafety, IReadOnlyDictionary<RoomId, string> names) => target switch
    {
        // No link to child-safety content: moderators act on it without anyone opening it from here.
        ReportTarget.Event e when childSafety =>
            $"a message sent by <code>{E(e.Sender.Value)}</code> in {CaseListPage.Room(e.RoomId, names)} (content withheld: child safety)",
        ReportTarget.Event e =>
            $"<a href=\"https://matrix.to/#/{E(Uri.EscapeDataString(e.RoomId.Value))}/{E(Uri.EscapeDataString(e.EventId.Value))}\">a message</a>"
            + $" ({E(e.EventType)}) sent by <code>{E(e.Sender.Value)}</code> in {CaseListPage.Room(e.RoomId, names)}",
        ReportTarget.RoomTarget { Inviter: { } inviter } r =>
            $"invite spam from <code>{E(inviter.Value)}</code> (server <code>{E(inviter.Server)}</code>), first to the room {CaseListPage.Room(r.RoomId, names)}",
        ReportTarget.RoomTarget r => $"the room {CaseListPage.Room(r.RoomId, names)}",
        ReportTarget.UserTarget u => $"the user <code>{E(u.UserId.Value)}</code>",
        _ => "unknown",
    };

    private static void ActionForms(StringBuilder html, Case c, IReadOnlyList<ICaseAction> offered, string csrf)
    {
        html.Append("<h2>Act</h2>\n");
        if (!c.State.IsOpen())
        {
            html.Append("<p>The case is closed.</p>\n");
            return;
        }
        html.Append("<p class=\"muted\">As in the case room: Relay checks again that you moderate the room, the bot acts, the case room is told.</p>\n")
            .Append("<div class=\"actions\">\n");
        foreach (var action in offered)
        {
            var id = "act-" + action.Command;
            html.Append("<form method=\"post\" action=\"").Append(E(DashboardPaths.Act(c.Id))).Append("\" aria-labelledby=\"")
                .Append(id).Append("\">\n");
            Csrf(html, csrf);
            html.Append("<input type=\"hidden\" name=\"action\" value=\"").Append(E(action.Command)).Append("\">\n")
                .Append("<input type=\"hidden\" name=\"request\" value=\"").Append(E(Guid.NewGuid().ToString("N"))).Append("\">\n");
            if (action.TakesText)
            {
                html.Append("<label for=\"note-").Append(action.Command).Append("\">")
                    .Append(action.Trigger == CaseTrigger.Enforce ? "Reason (sent to the homeserver: the user sees it)" : "Note (kept in the audit trail, never sent to reporters)")
                    .Append("</label>\n")
                    .Append("<textarea id=\"note-").Append(action.Command).Append("\" name=\"note\" rows=\"2\" cols=\"30\" maxlength=\"500\"></textarea>\n");
            }
            html.Append("<button type=\"submit\" id=\"").Append(id).Append('"')
                .Append(action.Trigger is CaseTrigger.Dismiss or CaseTrigger.Escalate ? " class=\"secondary\"" : "").Append('>')
                .Append(E(Capitalised(action.Label))).Append("</button>\n</form>\n");
        }
        html.Append("</div>\n");
    }

    private static void Reports(StringBuilder html, IReadOnlyList<Report> reports, bool childSafety)
    {
        html.Append("<h2>Reports</h2>\n<table class=\"cards\">\n<caption>Who reported is not shown; reporters who opted in are under Following, ")
            .Append("and a web-form reporter's e-mail address is under Contact when they gave it so that you may contact them.</caption>\n")
            .Append("<thead><tr><th scope=\"col\">Received</th><th scope=\"col\">Source</th><th scope=\"col\">Category</th>")
            .Append("<th scope=\"col\">Reason</th><th scope=\"col\">Contact</th></tr></thead>\n<tbody>\n");
        foreach (var r in reports)
        {
            var reason = childSafety
                ? "<span class=\"muted\">withheld (child safety)</span>"
                : string.IsNullOrEmpty(r.Reason) ? "<span class=\"muted\">none given</span>" : E(r.Reason);
            html.Append("<tr><td data-label=\"Received\">").Append(CaseListPage.Time(r.ReceivedAt)).Append("</td><td data-label=\"Source\">")
                .Append(E(r.Source.ToString())).Append("</td><td data-label=\"Category\">").Append(E(HarmCategory.LabelOf(r.Category)))
                .Append("</td><td data-label=\"Reason\">").Append(reason)
                .Append("</td><td data-label=\"Contact\">").Append(Contact(r.ContactEmail)).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }

    /// <summary>A mailto link: the reporter gave the address for exactly this (the web form says so).</summary>
    private static string Contact(string? email) => email is null
        ? "<span class=\"muted\">none</span>"
        : $"<a href=\"mailto:{E(Uri.EscapeDataString(email))}\">{E(email)}</a>";

    private static void Audit(StringBuilder html, IReadOnlyList<AuditEntry> audit)
    {
        html.Append("<h2>Audit trail</h2>\n<table class=\"cards\">\n<caption>Oldest first. Hover a line for its record as the CLI prints it.</caption>\n")
            .Append("<thead><tr><th scope=\"col\">When</th><th scope=\"col\">What happened</th></tr></thead>\n<tbody>\n");
        foreach (var a in audit)
        {
            html.Append("<tr title=\"").Append(E($"{a.Actor} {a.Action} {a.Detail}".Trim())).Append("\"><td data-label=\"When\">")
                .Append(CaseListPage.Time(a.At)).Append("</td><td data-label=\"What\">").Append(E(AuditWords.Sentence(a))).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }

    private static void Fact(StringBuilder html, string name, string valueHtml) =>
        html.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(valueHtml).Append("</dd>\n");

    private static string Capitalised(string label) => label.Length == 0 ? label : char.ToUpperInvariant(label[0]) + label[1..];
}
