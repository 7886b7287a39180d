using Relay.Core.Identifiers;

namespace Relay.Core.Reports;

/// <summary>Rate limits on intake: per reporter, and per reported room so one room cannot flood its moderators.</summary>
public sealed class IntakeLimits(SlidingWindowLimiter perReporter, SlidingWindowLimiter perRoom)
{
    public static IntakeLimits PerMinute(int perReporter, int perRoom, TimeProvider time,
        int maxKeys = SlidingWindowLimiter.DefaultMaxKeys) =>
        new(new SlidingWindowLimiter(perReporter, TimeSpan.FromMinutes(1), time, maxKeys),
            new SlidingWindowLimiter(perRoom, TimeSpan.FromMinutes(1), time, maxKeys));

    /// <summary>Null when the report may go ahead, else how long to wait.</summary>
    public TimeSpan? TryAcquire(string reporterHash, RoomId? room)
    {
        if (!perReporter.TryAcquire(reporterHash, out var wait))
        {
            return wait;
        }
        if (room is { } r && !perRoom.TryAcquire(r.Value, out wait))
        {
            return wait;
        }
        return null;
    }
}
