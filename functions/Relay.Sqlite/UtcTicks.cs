namespace Relay.Sqlite;

/// <summary>
/// Times are stored as UTC ticks: exact to the tick, ordered as integers. The offset is not kept;
/// Relay only produces UTC times (TimeProvider.GetUtcNow), and DateTimeOffset equality is by instant.
/// </summary>
internal static class UtcTicks
{
    public static long From(DateTimeOffset time) => time.UtcTicks;

    public static DateTimeOffset ToTime(long ticks) => new(ticks, TimeSpan.Zero);
}
