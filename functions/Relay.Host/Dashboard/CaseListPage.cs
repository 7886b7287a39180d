using System.Globalization;
using System.Text;
using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Core.Reports;
using static Relay.Host.Dashboard.DashboardLayout;

namespace Relay.Host.Dashboard;

/// <summary>
/// What the case list shows: one page of cases with the first reason given for each (none for child safety), the filters as
/// asked, where the next page starts, and the rooms' names.
/// </summary>
public sealed record CaseListView(
    IReadOnlyList<Case> Cases,
    CaseListFilters Filters,
    IReadOnlyList<RoomId> Rooms,
    CaseCursor? Next,
    DateTimeOffset Now,
    IReadOnlyDictionary<CaseId, string?> FirstReasons,
    IReadOnlyDictionary<RoomId, string> RoomNames);

/// <summary>The list's query string: state, category, room, overdue, after (paging). Unknown values are ignored.</summary>
public sealed record CaseListFilters(CaseState? State, HarmCategory? Category, RoomId? Room, bool Overdue, CaseCursor? After)
{
    public static CaseListFilters From(IQueryCollection query) => new(
        Enum.TryParse<CaseState>(query["state"], ignoreCase: false, out var state) && Enum.IsDefined(state) ? state : null,
        HarmCategory.TryParse(query["category"], out var category) ? category : null,
        RoomId.TryParse(query["room"], out var room) ? room : null,
        query["overdue"] == "1",
        CaseCursor.TryParse(query["after"], out var after) ? after : null);

    public CaseQuery ToQuery(int limit, DateTimeOffset now) => new(State, limit)
    {
        Category = Category,
        Rooms = Room is { } room ? [room] : null,
        DueBy = Overdue ? now : null,
        After = After,
    };

    /// <summary>The list's address with these filters and <paramref name="after"/> as the page.</summary>
    public string Href(CaseCursor? after)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }
        Add("state", State?.ToString());
        Add("category", Category?.Id);
        Add("room", Room?.Value);
        Add("overdue", Overdue ? "1" : null);
        Add("after", after?.ToString());
        return DashboardPaths.Cases + (parts.Count == 0 ? "" : "?" + string.Join('&', parts));
    }
}

public static class CaseListPage
{
    private const int PreviewLength = 80;

    public static IResult Show(CaseListView view, (string User, string Csrf) signedIn)
    {
        var html = new StringBuilder(16 * 1024);
        html.Append("<h1>Cases</h1>\n");
        Filters(html, view);
        html.Append("<table class=\"cards\">\n<caption>").Append(view.Cases.Count == 0 ? "No cases match." : "Newest first.")
            .Append("</caption>\n<thead><tr><th scope=\"col\">Case</th><th scope=\"col\">What was reported</th>")
            .Append("<th scope=\"col\">First reason</th><th scope=\"col\">Category</th><th scope=\"col\">State</th>")
            .Append("<th scope=\"col\">Reporters</th><th scope=\"col\">Opened</th></tr></thead>\n<tbody>\n");
        foreach (var c in view.Cases)
        {
            var overdue = c.NextDueAt is { } due && due <= view.Now;
            html.Append("<tr").Append(overdue ? " class=\"late\"" : "").Append("><th scope=\"row\"><a href=\"").Append(E(DashboardPaths.Case(c.Id))).Append("\">")
                .Append(E(c.Id.Short)).Append("</a></th>")
                .Append("<td data-label=\"Reported\">").Append(Reported(c.Target, view.RoomNames)).Append("</td>")
                .Append("<td data-label=\"First reason\">").Append(Preview(c, view.FirstReasons)).Append("</td>")
                .Append("<td data-label=\"Category\">").Append(E(HarmCategory.LabelOf(c.Category))).Append("</td>")
                .Append("<td data-label=\"State\">").Append(E(c.State.ToString())).Append(c.Tier > 1 ? $" (tier {c.Tier})" : "")
                .Append(overdue ? $"<br><span class=\"overdue\">Overdue since {Time(c.NextDueAt!.Value)}</span>" : "").Append("</td>")
                .Append("<td data-label=\"Reporters\">").Append(c.ReporterCount).Append("</td>")
                .Append("<td data-label=\"Opened\">").Append(Time(c.OpenedAt)).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n<nav class=\"pager\" aria-label=\"Pages\">\n");
        if (view.Filters.After is not null)
        {
            html.Append("<a href=\"").Append(E(view.Filters.Href(null))).Append("\">Newest cases</a>\n");
        }
        if (view.Next is { } next)
        {
            html.Append("<a href=\"").Append(E(view.Filters.Href(next))).Append("\">Older cases</a>\n");
        }
        html.Append("</nav>\n");
        return Page("Cases", html.ToString(), signedIn, DashboardPaths.Cases, refresh: true);
    }

    /// <summary>A room by its name, its ID on hover; by its ID when it has no name the bot can read.</summary>
    public static string Room(RoomId room, IReadOnlyDictionary<RoomId, string> names) =>
        names.TryGetValue(room, out var name)
            ? $"<span class=\"room\" title=\"{E(room.Value)}\">{E(name)}</span>"
            : $"<code>{E(room.Value)}</code>";

    /// <summary>What was reported, and by whom it was sent: "Message by @x in Room", "Room", "User @x".</summary>
    public static string Reported(ReportTarget target, IReadOnlyDictionary<RoomId, string> names) => target switch
    {
        ReportTarget.Event e => $"Message sent by <code>{E(e.Sender.Value)}</code> in {Room(e.RoomId, names)}",
        ReportTarget.RoomTarget { Inviter: { } inviter } r => $"Invite spam from <code>{E(inviter.Value)}</code> (room {Room(r.RoomId, names)})",
        ReportTarget.RoomTarget r => $"Room {Room(r.RoomId, names)}",
        ReportTarget.UserTarget u => $"User <code>{E(u.UserId.Value)}</code>",
        _ => "unknown",
    };

    private static string Preview(Case c, IReadOnlyDictionary<CaseId, string?> reasons) =>
        c.Category?.IsChildSafety == true ? "<span class=\"muted\">withheld (child safety)</span>"
        : reasons.GetValueOrDefault(c.Id) is not { Length: > 0 } reason ? "<span class=\"muted\">none given</span>"
        : E(reason.Length > PreviewLength ? reason[..PreviewLength].TrimEnd() + "…" : reason);

    public static string Time(DateTimeOffset at) =>
        $"<time datetime=\"{at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}\">"
        + at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC</time>";

    public static string Deadline(DateTimeOffset? due, DateTimeOffset now) => due switch
    {
        null => "<span class=\"muted\">none</span>",
        { } d when d <= now => $"<span class=\"overdue\">overdue since {Time(d)}</span>",
        { } d => Time(d),
    };

    private static void Filters(StringBuilder html, CaseListView view)
    {
        var f = view.Filters;
        html.Append("<form class=\"filters\" method=\"get\" action=\"").Append(DashboardPaths.Cases).Append("\">\n")
            .Append("<div><label for=\"state\">State</label>\n<select id=\"state\" name=\"state\">\n<option value=\"\">Any</option>\n");
        foreach (var state in Enum.GetValues<CaseState>())
        {
            Option(html, state.ToString(), state.ToString(), f.State == state);
        }
        html.Append("</select></div>\n<div><label for=\"category\">Category</label>\n<select id=\"category\" name=\"category\">\n<option value=\"\">Any</option>\n");
        foreach (var category in HarmCategory.InTaxonomyOrder.Where(h => h.IsGeneral))
        {
            Option(html, category.Id, category.Label, f.Category == category);
        }
        html.Append("</select></div>\n<div><label for=\"room\">Room</label>\n<select id=\"room\" name=\"room\">\n<option value=\"\">All of mine</option>\n");
        foreach (var room in view.Rooms)
        {
            Option(html, room.Value, view.RoomNames.TryGetValue(room, out var name) ? $"{name} ({room.Value})" : room.Value, f.Room == room);
        }
        html.Append("</select></div>\n<div class=\"check\"><input type=\"checkbox\" id=\"overdue\" name=\"overdue\" value=\"1\"")
            .Append(f.Overdue ? " checked" : "").Append("> <label for=\"overdue\">Overdue only</label></div>\n")
            .Append("<div><button type=\"submit\">Filter</button></div>\n</form>\n");
    }

    private static void Option(StringBuilder html, string value, string label, bool selected) =>
        html.Append("<option value=\"").Append(E(value)).Append('"').Append(selected ? " selected" : "").Append('>')
            .Append(E(label)).Append("</option>\n");
}
