using System.Globalization;
using System.Text;
using Relay.Core.Reports;
using Relay.Core.Statistics;
using Relay.Core.Text;
using Relay.Host.Transparency;
using static Relay.Host.Dashboard.DashboardLayout;

namespace Relay.Host.Dashboard;

/// <summary>What the Figures page shows: the figures of a period, whose cases they count (in words), and the tiers' names.</summary>
public sealed record FiguresView(CaseFigures Figures, FiguresPeriod Period, string Scope, Func<int, string?> TierName);

/// <summary>
/// The Figures page: reports per day, cases by category, time to acknowledge and to close, escalations by tier, each as
/// an SVG chart (<see cref="SvgCharts"/>) with the same numbers in a table, and the transparency report's download. Works
/// with JavaScript off; every text goes through <see cref="DashboardLayout.E"/>.
/// </summary>
public static class FiguresPage
{
    public static IResult Show(FiguresView view, (string User, string Csrf) signedIn)
    {
        var f = view.Figures;
        var html = new StringBuilder(16 * 1024);
        html.Append("<h1>Figures</h1>\n<p>").Append(E(view.Scope)).Append("</p>\n");
        PeriodForm(html, FiguresPeriod.Day(view.Period.First), FiguresPeriod.Day(view.Period.Last), null);
        html.Append("<p class=\"muted\">From ").Append(FiguresPeriod.Day(view.Period.First)).Append(" to ")
            .Append(FiguresPeriod.Day(view.Period.Last)).Append(" (UTC days, both included), counted ")
            .Append(f.GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
            .Append(" UTC from the cases still stored.</p>\n");

        Section(html, "reports-per-day", "Reports per day", $"{Counted.Of(f.ReportsPerDay.Sum(d => d.Count), "report")} in {Counted.Of(view.Period.Days, "day")}.");
        var days = f.ReportsPerDay.Select(d => new ChartBar(d.Day.ToString("d MMM", CultureInfo.InvariantCulture), d.Count, Count(d.Count))).ToList();
        SvgCharts.Columns(html, "reports-per-day-chart", "Reports per day", Busiest(days, "day"), days);
        Table(html, "reports-per-day-table", "Reports per day", ["Day (UTC)", "Reports"],
            f.ReportsPerDay.Select(d => new[] { FiguresPeriod.Day(d.Day), Count(d.Count) }));
        html.Append("</section>\n");

        var categories = f.CasesByCategory.Select(c => new ChartBar(HarmCategory.LabelOf(c.Name), c.Count, Count(c.Count))).ToList();
        Section(html, "cases-by-category", "Cases by category", $"{Counted.Of(f.CasesByCategory.Sum(c => c.Count), "case")} opened in the period.");
        Bars(html, "cases-by-category", "Cases by category", categories, "Category", "Cases", "No case was opened in the period.", "category");

        Section(html, "handling-times", "Time to acknowledge and to close",
            "From the case's opening to the first moderator answer (acknowledged, resolved or dismissed), and to its closing; "
            + "over the cases answered or closed in the period. Nine in ten took at most the 90th percentile.");
        Table(html, "handling-times-table", "Time to acknowledge and to close", ["Measure", "Cases", "Median", "90th percentile"],
            [["Time to acknowledge", Count(f.TimeToAcknowledge.Count), Duration(f.TimeToAcknowledge.Median), Duration(f.TimeToAcknowledge.P90)],
             ["Time to close", Count(f.TimeToClose.Count), Duration(f.TimeToClose.Median), Duration(f.TimeToClose.P90)]], open: true);
        var times = new[]
        {
            ("Acknowledge, median", f.TimeToAcknowledge.Median), ("Acknowledge, 90th pct.", f.TimeToAcknowledge.P90),
            ("Close, median", f.TimeToClose.Median), ("Close, 90th pct.", f.TimeToClose.P90),
        }.Where(t => t.Item2 is not null).Select(t => new ChartBar(t.Item1, t.Item2!.Value.TotalSeconds, Duration(t.Item2))).ToList();
        if (times.Count > 0)
        {
            SvgCharts.Rows(html, "handling-times-chart", "Time to acknowledge and to close", "Median and 90th percentile, as in the table.", times);
        }
        html.Append("</section>\n");

        var tiers = f.EscalationsByTier.Select(t => new ChartBar(Tier(t.Tier, view.TierName), t.Count, Count(t.Count))).ToList();
        Section(html, "escalations-by-tier", "Escalations by tier", $"{Counted.Of(f.EscalationsByTier.Sum(t => t.Count), "climb")} of the escalation ladder, by the tier reached.");
        Bars(html, "escalations-by-tier", "Escalations by tier", tiers, "Tier reached", "Escalations", "Nothing was escalated in the period.", "tier");

        TransparencyForm(html, view.Period);
        return Page("Figures", html.ToString(), signedIn, DashboardPaths.Figures);
    }

    /// <summary>The period form again, with what was typed and why it is wrong; nothing is counted.</summary>
    public static IResult Invalid(string? from, string? to, string error, (string User, string Csrf) signedIn)
    {
        var html = new StringBuilder("<h1>Figures</h1>\n");
        PeriodForm(html, from, to, error);
        return Page("Figures: not a period", html.ToString(), signedIn, DashboardPaths.Figures, status: StatusCodes.Status400BadRequest);
    }

    private static void PeriodForm(StringBuilder html, string? from, string? to, string? error)
    {
        if (error is not null)
        {
            html.Append("<p class=\"problem\" role=\"alert\" id=\"period-error\">").Append(E(error)).Append("</p>\n");
        }
        var invalid = error is null ? "" : " aria-invalid=\"true\" aria-describedby=\"period-error\"";
        html.Append("<form class=\"filters\" method=\"get\" action=\"").Append(DashboardPaths.Figures).Append("\" aria-label=\"Period\">\n")
            .Append("<div><label for=\"from\">From (UTC day)</label><input type=\"date\" id=\"from\" name=\"from\" value=\"").Append(E(from))
            .Append('"').Append(invalid).Append("></div>\n")
            .Append("<div><label for=\"to\">To (included)</label><input type=\"date\" id=\"to\" name=\"to\" value=\"").Append(E(to))
            .Append('"').Append(invalid).Append("></div>\n")
            .Append("<div><button type=\"submit\">Show</button></div>\n</form>\n");
    }

    private static void TransparencyForm(StringBuilder html, FiguresPeriod period)
    {
        Section(html, "transparency", "Transparency report",
            "The same counts as relay report transparency prints, for the cases shown here: notices by category and source, "
            + "decisions, cases closed and the median handling time, escalations to the authorities. Counts only, no user IDs, rooms or reasons.");
        html.Append("<form class=\"filters\" method=\"get\" action=\"").Append(DashboardPaths.Transparency).Append("\">\n")
            .Append("<div><label for=\"t-from\">From (UTC day)</label><input type=\"date\" id=\"t-from\" name=\"from\" value=\"")
            .Append(FiguresPeriod.Day(period.First)).Append("\"></div>\n")
            .Append("<div><label for=\"t-to\">To (included)</label><input type=\"date\" id=\"t-to\" name=\"to\" value=\"")
            .Append(FiguresPeriod.Day(period.Last)).Append("\"></div>\n")
            .Append("<div><label for=\"t-format\">Format</label><select id=\"t-format\" name=\"format\">\n")
            .Append("<option value=\"").Append(TransparencyExport.Csv).Append("\" selected>CSV</option>\n")
            .Append("<option value=\"").Append(TransparencyExport.Json).Append("\">JSON</option>\n</select></div>\n")
            .Append("<div><button type=\"submit\">Download</button></div>\n</form>\n</section>\n");
    }

    private static void Section(StringBuilder html, string id, string heading, string lead) =>
        html.Append("<section aria-labelledby=\"").Append(id).Append("\">\n<h2 id=\"").Append(id).Append("\">").Append(E(heading))
            .Append("</h2>\n<p>").Append(E(lead)).Append("</p>\n");

    /// <summary>A horizontal bar chart with its table, or the sentence that says there is nothing to chart; closes the section.</summary>
    private static void Bars(StringBuilder html, string id, string title, IReadOnlyList<ChartBar> bars, string name, string unit, string none, string noun)
    {
        if (bars.Count == 0)
        {
            html.Append("<p class=\"muted\">").Append(E(none)).Append("</p>\n</section>\n");
            return;
        }
        SvgCharts.Rows(html, id + "-chart", title, Busiest(bars, noun), bars);
        Table(html, id + "-table", title, [name, unit], bars.Select(b => new[] { b.Label, b.Shown }));
        html.Append("</section>\n");
    }

    /// <summary>The figures behind a chart as a table, first column the row headers; folded away unless <paramref name="open"/>.</summary>
    private static void Table(StringBuilder html, string id, string caption, string[] headers, IEnumerable<string[]> rows, bool open = false)
    {
        if (!open)
        {
            html.Append("<details>\n<summary>").Append(E(caption)).Append(" as a table</summary>\n");
        }
        html.Append("<table id=\"").Append(id).Append("\">\n<caption>").Append(E(caption)).Append("</caption>\n<thead><tr>");
        foreach (var header in headers)
        {
            html.Append("<th scope=\"col\">").Append(E(header)).Append("</th>");
        }
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            html.Append("<tr><th scope=\"row\">").Append(E(row[0])).Append("</th>");
            foreach (var cell in row.Skip(1))
            {
                html.Append("<td>").Append(E(cell)).Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n").Append(open ? "" : "</details>\n");
    }

    /// <summary>A chart's one-line description: how many bars and the largest, which is what a glance at it tells.</summary>
    private static string Busiest(IReadOnlyList<ChartBar> bars, string what) =>
        bars.Count == 0 || bars.Max(b => b.Value) == 0
            ? $"{Counted.Of(bars.Count, what)}, all zero."
            : $"{Counted.Of(bars.Count, what)}; the largest is {bars.MaxBy(b => b.Value)!.Label} with {bars.MaxBy(b => b.Value)!.Shown}.";

    private static string Tier(int tier, Func<int, string?> name) => name(tier) is { Length: > 0 } n ? $"Tier {tier}: {n}" : $"Tier {tier}";

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whole seconds under a minute, then minutes, hours and days: what a moderator compares, not ticks.</summary>
    public static string Duration(TimeSpan? time) => time switch
    {
        null => "none measured",
        { TotalMinutes: < 1 } t => $"{Math.Round(t.TotalSeconds):0} s",
        { TotalHours: < 1 } t => $"{(int)t.TotalMinutes} min",
        { TotalDays: < 1 } t => $"{(int)t.TotalHours} h {t.Minutes} min",
        { } t => $"{(int)t.TotalDays} d {t.Hours} h",
    };
}
