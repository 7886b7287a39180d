using System.Globalization;
using System.Text;
using static Relay.Host.Dashboard.DashboardLayout;

namespace Relay.Host.Dashboard;

/// <summary>One bar: its label, the length it is drawn at, and the value as a reader sees it (a count, a duration).</summary>
public sealed record ChartBar(string Label, double Value, string Shown);

/// <summary>
/// Bar charts as inline SVG, drawn on the server: no script, no chart library, nothing from elsewhere. The page's policy
/// forbids inline CSS, so colours come from the stylesheet's classes and SVG presentation attributes (which are not CSS).
/// Each chart is one image to assistive technology (<c>role="img"</c>, named by its title and a one-line summary); the
/// page puts the same numbers in a table beside it, which is what a screen reader or keyboard user reads.
/// </summary>
public static class SvgCharts
{
    private const int Width = 720;
    private const string BarColour = "#0b4fb3";
    private const string AxisColour = "#4a4a4a";
    private const string TextColour = "#1a1a1a";

    /// <summary>Vertical bars in order (a time series): the axis names the first, middle and last bar when there are many.</summary>
    public static void Columns(StringBuilder html, string id, string title, string summary, IReadOnlyList<ChartBar> bars)
    {
        const int height = 240, left = 48, right = 8, top = 16, bottom = 36;
        var plotWidth = Width - left - right;
        var plotHeight = height - top - bottom;
        var max = Math.Max(1, bars.Count == 0 ? 0 : bars.Max(b => b.Value));
        var slot = bars.Count == 0 ? plotWidth : (double)plotWidth / bars.Count;
        var gap = bars.Count > 60 ? 0 : slot * 0.2;
        Open(html, id, title, summary, height);
        Line(html, left, top + plotHeight, Width - right, top + plotHeight);
        Line(html, left, top, left, top + plotHeight);
        Text(html, left - 6, top + 4, "end", Shown(bars, max));
        Text(html, left - 6, top + plotHeight + 4, "end", "0");
        var labelled = bars.Count <= 14 ? Enumerable.Range(0, bars.Count) : [0, bars.Count / 2, bars.Count - 1];
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var barHeight = plotHeight * bar.Value / max;
            Rect(html, left + i * slot + gap / 2, top + plotHeight - barHeight, Math.Max(1, slot - gap), barHeight, bar);
            if (labelled.Contains(i))
            {
                // The outermost labels of a long series hang inwards, so they are not cut off at the chart's edges.
                var (x, anchor) = bars.Count <= 14 ? (left + (i + 0.5) * slot, "middle")
                    : i == 0 ? (left, "start") : i == bars.Count - 1 ? (Width - right, "end") : (left + (i + 0.5) * slot, "middle");
                Text(html, x, height - bottom + 18, anchor, bar.Label);
            }
        }
        html.Append("</svg>\n");
    }

    /// <summary>Horizontal bars, one labelled row each, the value written after the bar (categories, tiers, durations).</summary>
    public static void Rows(StringBuilder html, string id, string title, string summary, IReadOnlyList<ChartBar> bars)
    {
        const int row = 30, labelWidth = 230, valueWidth = 90, top = 8;
        var height = top * 2 + row * Math.Max(1, bars.Count);
        var plotWidth = Width - labelWidth - valueWidth;
        var max = bars.Count == 0 ? 1 : Math.Max(1e-9, bars.Max(b => b.Value));
        Open(html, id, title, summary, height);
        Line(html, labelWidth, top, labelWidth, height - top);
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = top + i * row;
            var length = plotWidth * bar.Value / max;
            Text(html, labelWidth - 8, y + row / 2 + 4, "end", bar.Label);
            Rect(html, labelWidth, y + 5, length, row - 10, bar);
            Text(html, labelWidth + length + 6, y + row / 2 + 4, "start", bar.Shown);
        }
        html.Append("</svg>\n");
    }

    private static void Open(StringBuilder html, string id, string title, string summary, int height) =>
        html.Append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").Append(Width).Append(' ').Append(height)
            .Append("\" role=\"img\" aria-labelledby=\"").Append(id).Append("-title ").Append(id).Append("-desc\" focusable=\"false\">\n")
            .Append("<title id=\"").Append(id).Append("-title\">").Append(E(title)).Append("</title>\n")
            .Append("<desc id=\"").Append(id).Append("-desc\">").Append(E(summary)).Append("</desc>\n");

    /// <summary>A bar with its own tooltip; a zero still leaves a hairline, so an empty day reads as zero, not as missing.</summary>
    private static void Rect(StringBuilder html, double x, double y, double width, double height, ChartBar bar) =>
        html.Append("<rect class=\"bar\" fill=\"").Append(BarColour).Append("\" x=\"").Append(N(x)).Append("\" y=\"")
            .Append(N(Math.Min(y, y + height - 1))).Append("\" width=\"").Append(N(width)).Append("\" height=\"")
            .Append(N(Math.Max(1, height))).Append("\"><title>").Append(E(bar.Label)).Append(": ").Append(E(bar.Shown))
            .Append("</title></rect>\n");

    private static void Line(StringBuilder html, double x1, double y1, double x2, double y2) =>
        html.Append("<line class=\"axis\" stroke=\"").Append(AxisColour).Append("\" x1=\"").Append(N(x1)).Append("\" y1=\"").Append(N(y1))
            .Append("\" x2=\"").Append(N(x2)).Append("\" y2=\"").Append(N(y2)).Append("\"/>\n");

    private static void Text(StringBuilder html, double x, double y, string anchor, string text) =>
        html.Append("<text fill=\"").Append(TextColour).Append("\" font-size=\"13\" x=\"").Append(N(x)).Append("\" y=\"").Append(N(y))
            .Append("\" text-anchor=\"").Append(anchor).Append("\">").Append(E(text)).Append("</text>\n");

    private static string Shown(IReadOnlyList<ChartBar> bars, double max) =>
        bars.FirstOrDefault(b => b.Value == max)?.Shown ?? max.ToString(CultureInfo.InvariantCulture);

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
