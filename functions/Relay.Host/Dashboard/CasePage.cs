using System.Text;
using Relay.Core.Cases;
using Relay.Core.Cases.Actions;
using Relay.Core.Identifiers;
using Relay.Core.Reports;
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
    string? Status);

/// <summary>
/// One case: its facts, its reports (reasons, never reporters, except the e-mail address a web-form reporter gave so the
/// moderators may contact them; for child safety no reasons), its audit trail,
/// and the actions the case room offers (acknowledge, escalate, dismiss, resolve), each a form of its own.
/// </summary>
public static class CasePage
{
    /// <summary>The dashboard's actions, by the case room's command words (the same code runs them).</summary>
    public static IReadOnlyList<ICaseAction> Actions { get; } =
        [.. new[] { "ack", "escalate", "dismiss", "resolve" }.Select(word => CaseActions.ByCommand(word)!)];

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
        Fact(html, "Category", E(CaseListPage.CategoryName(c.Category)));
        Fact(html, "Tier", $"{c.Tier}{(view.TierName is null ? "" : " (" + E(view.TierName) + ")")}");
        Fact(html, "Next deadline", CaseListPage.Deadline(c.NextDueAt, view.Now));
        Fact(html, "Reported", Target(c.Target, childSafety));
        Fact(html, "Reporters", $"{c.ReporterCount} distinct, {c.ReportCount} reports");
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
        ActionForms(html, c, signedIn.Csrf);
        Reports(html, view.Reports, childSafety);
        Audit(html, view.Audit);
        return Page("Case " + c.Id.Short, html.ToString(), signedIn, DashboardPaths.Cases);
    }

    private static bool IsChildSafety(CaseView view) =>
        view.Case.Category?.IsChildSafety == true || view.Reports.Any(r => r.Category?.IsChildSafety == true);

    private static string Target(ReportTarget target, bool childSafety) => target switch
    {
        // No link to child-safety content: moderators act on it without anyone opening it from here.
        ReportTarget.Event e when childSafety =>
            $"a message by <code>{E(e.Sender.Value)}</code> in <code>{E(e.RoomId.Value)}</code> (content withheld: child safety)",
        ReportTarget.Event e =>
            $"<a href=\"https://matrix.to/#/{E(Uri.EscapeDataString(e.RoomId.Value))}/{E(Uri.EscapeDataString(e.EventId.Value))}\">a message</a>"
            + $" ({E(e.EventType)}) by <code>{E(e.Sender.Value)}</code> in <code>{E(e.RoomId.Value)}</code>",
        ReportTarget.RoomTarget r => $"the room <code>{E(r.RoomId.Value)}</code>",
        ReportTarget.UserTarget u => $"the user <code>{E(u.UserId.Value)}</code>",
        _ => "unknown",
    };

    private static void ActionForms(StringBuilder html, Case c, string csrf)
    {
        html.Append("<h2>Act</h2>\n");
        if (!c.State.IsOpen())
        {
            html.Append("<p>The case is closed.</p>\n");
            return;
        }
        html.Append("<div class=\"actions\">\n");
        foreach (var action in Actions)
        {
            var id = "act-" + action.Command;
            html.Append("<form method=\"post\" action=\"").Append(E(DashboardPaths.Act(c.Id))).Append("\" aria-labelledby=\"")
                .Append(id).Append("\">\n");
            Csrf(html, csrf);
            html.Append("<input type=\"hidden\" name=\"action\" value=\"").Append(E(action.Command)).Append("\">\n")
                .Append("<input type=\"hidden\" name=\"request\" value=\"").Append(E(Guid.NewGuid().ToString("N"))).Append("\">\n");
            if (action.TakesText)
            {
                html.Append("<label for=\"note-").Append(action.Command).Append("\">Note (kept in the audit trail, never sent to reporters)</label>\n")
                    .Append("<textarea id=\"note-").Append(action.Command).Append("\" name=\"note\" rows=\"2\" cols=\"30\" maxlength=\"500\"></textarea>\n");
            }
            html.Append("<button type=\"submit\" id=\"").Append(id).Append('"')
                .Append(action.Trigger is CaseTrigger.Dismiss ? " class=\"secondary\"" : "").Append('>')
                .Append(E(Capitalised(action.Label))).Append("</button>\n</form>\n");
        }
        html.Append("</div>\n");
    }

    private static void Reports(StringBuilder html, IReadOnlyList<Report> reports, bool childSafety)
    {
        html.Append("<h2>Reports</h2>\n<table>\n<caption>Who reported is not shown; reporters who opted in are under Following, ")
            .Append("and a web-form reporter's e-mail address is under Contact when they gave it so that you may contact them.</caption>\n")
            .Append("<thead><tr><th scope=\"col\">Received</th><th scope=\"col\">Source</th><th scope=\"col\">Category</th>")
            .Append("<th scope=\"col\">Reason</th><th scope=\"col\">Contact</th></tr></thead>\n<tbody>\n");
        foreach (var r in reports)
        {
            var reason = childSafety
                ? "<span class=\"muted\">withheld (child safety)</span>"
                : string.IsNullOrEmpty(r.Reason) ? "<span class=\"muted\">none given</span>" : E(r.Reason);
            html.Append("<tr><td>").Append(CaseListPage.Time(r.ReceivedAt)).Append("</td><td>").Append(E(r.Source.ToString()))
                .Append("</td><td>").Append(E(CaseListPage.CategoryName(r.Category))).Append("</td><td>").Append(reason)
                .Append("</td><td>").Append(Contact(r.ContactEmail)).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }

    /// <summary>A mailto link: the reporter gave the address for exactly this (the web form says so).</summary>
    private static string Contact(string? email) => email is null
        ? "<span class=\"muted\">none</span>"
        : $"<a href=\"mailto:{E(Uri.EscapeDataString(email))}\">{E(email)}</a>";

    private static void Audit(StringBuilder html, IReadOnlyList<AuditEntry> audit)
    {
        html.Append("<h2>Audit trail</h2>\n<table>\n<caption>Oldest first.</caption>\n")
            .Append("<thead><tr><th scope=\"col\">When</th><th scope=\"col\">Who</th><th scope=\"col\">What</th>")
            .Append("<th scope=\"col\">Detail</th></tr></thead>\n<tbody>\n");
        foreach (var a in audit)
        {
            html.Append("<tr><td>").Append(CaseListPage.Time(a.At)).Append("</td><td><code>").Append(E(a.Actor)).Append("</code></td><td>")
                .Append(E(a.Action)).Append("</td><td>").Append(E(a.Detail)).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }

    private static void Fact(StringBuilder html, string name, string valueHtml) =>
        html.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(valueHtml).Append("</dd>\n");

    private static string Capitalised(string label) => label.Length == 0 ? label : char.ToUpperInvariant(label[0]) + label[1..];
}
