using System.Globalization;

namespace Relay.Core.Text;

/// <summary>"1 report", "3 reports": counts in what people read (case rooms, DMs, the CLI, the dashboard), never "report(s)".</summary>
public static class Counted
{
    /// <summary><paramref name="count"/> and the noun, in the plural unless the count is one (<paramref name="plural"/> for irregular ones).</summary>
    public static string Of(long count, string noun, string? plural = null) =>
        count.ToString("N0", CultureInfo.InvariantCulture) + " " + (count == 1 ? noun : plural ?? Plural(noun));

    // "category" → "categories", "day" → "days": the one English rule the nouns Relay counts need.
    private static string Plural(string noun) =>
        noun.Length > 1 && noun[^1] == 'y' && !"aeiou".Contains(noun[^2], StringComparison.Ordinal) ? noun[..^1] + "ies" : noun + "s";
}
