using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Relay.Tests.Harness;

/// <summary>
/// A fake clock that also tells when code under test starts waiting on it (every <c>Task.Delay(…, time)</c> creates a
/// timer): the event a test waits for instead of sleeping and hoping the code has gone to sleep by then.
/// </summary>
public sealed class TimerWatchingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer created (or one created since the last call), within 10 s.</summary>
    public async Task<TimeSpan> NextTimerAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _created.Reader.ReadAsync(timeout.Token);
    }
}
