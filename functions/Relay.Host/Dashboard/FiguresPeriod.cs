using System.Globalization;
using Relay.Core.Statistics;

namespace Relay.Host.Dashboard;

/// <summary>
/// The whole UTC days the Figures page and its download cover, from the <c>from</c> and <c>to</c> fields (<c>yyyy-MM-dd</c>,
/// what a date field sends): by default the last <see cref="DefaultDays"/> days; at most <see cref="MaxDays"/>, because every
/// case active in the period is read on the request path.
/// </summary>
public sealed record FiguresPeriod(DateOnly First, DateOnly Last)
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;

    public ReportingPeriod Period => ReportingPeriod.Days(First, Last);

    public int Days => Last.DayNumber - First.DayNumber + 1;

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The period asked for, or why not, in words for the person who typed it.</summary>
    public static bool TryParse(string? from, string? to, DateOnly today, out FiguresPeriod period, out string error)
    {
        period = new FiguresPeriod(today.AddDays(1 - DefaultDays), today);
        error = "";
        if (!TryDay(to, today, out var last))
        {
            error = "“To” is not a date. Use the form yyyy-mm-dd, e.g. " + Day(today) + ".";
            return false;
        }
        if (!TryDay(from, last.AddDays(1 - DefaultDays), out var first))
        {
            error = "“From” is not a date. Use the form yyyy-mm-dd, e.g. " + Day(today.AddDays(1 - DefaultDays)) + ".";
            return false;
        }
        if (last < first)
        {
            error = $"“From” ({Day(first)}) is after “To” ({Day(last)}).";
            return false;
        }
        if (last.DayNumber - first.DayNumber + 1 > MaxDays)
        {
            error = $"That is {last.DayNumber - first.DayNumber + 1} days; ask for at most {MaxDays} at a time.";
            return false;
        }
        period = new FiguresPeriod(first, last);
        return true;
    }

    private static bool TryDay(string? value, DateOnly fallback, out DateOnly day)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            day = fallback;
            return true;
        }
        return DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }
}
