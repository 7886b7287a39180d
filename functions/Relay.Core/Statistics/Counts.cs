namespace Relay.Core.Statistics;

/// <summary>A count under a name (a category, a source, an action kind).</summary>
public sealed record NamedCount(string Name, int Count)
{
    /// <summary>Largest first, then by name, so two runs over the same data print the same.</summary>
    public static IReadOnlyList<NamedCount> Of(IEnumerable<string> names) =>
        [.. names.GroupBy(n => n, StringComparer.Ordinal)
            .Select(g => new NamedCount(g.Key, g.Count()))
            .OrderByDescending(c => c.Count)
            .ThenBy(c => c.Name, StringComparer.Ordinal)];
}

/// <summary>Reports received on one UTC day.</summary>
public sealed record DailyCount(DateOnly Day, int Count);

/// <summary>Climbs that reached a tier of the escalation ladder.</summary>
public sealed record TierCount(int Tier, int Count);

/// <summary>How long something took over <see cref="Count"/> cases; the times are null when there were none.</summary>
public sealed record DurationFigures(int Count, TimeSpan? Median, TimeSpan? P90)
{
    /// <summary>
    /// The median (the mean of the middle two for an even count) and the nearest-rank 90th percentile: nine in ten took at
    /// most <see cref="P90"/>, and it is always one of the measured times.
    /// </summary>
    public static DurationFigures Of(IEnumerable<TimeSpan> durations)
    {
        var sorted = durations.Order().ToList();
        if (sorted.Count == 0)
        {
            return new DurationFigures(0, null, null);
        }
        var middle = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        var p90 = sorted[(int)Math.Ceiling(0.9 * sorted.Count) - 1];
        return new DurationFigures(sorted.Count, median, p90);
    }
}
