namespace Relay.Core.Statistics;

/// <summary>A half-open range of time, [<see cref="From"/>, <see cref="To"/>), in UTC.</summary>
public sealed record ReportingPeriod
{
    public ReportingPeriod(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            throw new ArgumentException($"The period must end after it starts ({from:O} .. {to:O}).", nameof(to));
        }
        From = from.ToUniversalTime();
        To = to.ToUniversalTime();
    }

    public DateTimeOffset From { get; }

    public DateTimeOffset To { get; }

    /// <summary>Whole UTC days, <paramref name="first"/> and <paramref name="last"/> included (how people name a period).</summary>
    public static ReportingPeriod Days(DateOnly first, DateOnly last) => new(
        new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        new DateTimeOffset(last.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));

    public bool Contains(DateTimeOffset at) => at >= From && at < To;

    /// <summary>The UTC days the period touches, in order.</summary>
    public IEnumerable<DateOnly> EachDay()
    {
        var last = DateOnly.FromDateTime(To.AddTicks(-1).UtcDateTime);
        for (var day = DateOnly.FromDateTime(From.UtcDateTime); day <= last; day = day.AddDays(1))
        {
            yield return day;
        }
    }
}
