using Microsoft.Extensions.Time.Testing;
using Relay.Core.Reports;

namespace Relay.Core.Tests.Reports;

public sealed class SlidingWindowLimiterTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    public void Permits_exactly_n_in_the_window_and_refuses_the_next(int permits)
    {
        var limiter = new SlidingWindowLimiter(permits, Window, _time);
        for (var i = 0; i < permits; i++)
        {
            Assert.True(limiter.TryAcquire("k", out var none), $"acquisition {i + 1} of {permits}");
            Assert.Equal(TimeSpan.Zero, none);
        }
        Assert.False(limiter.TryAcquire("k", out var retryAfter));
        Assert.Equal(Window, retryAfter);
    }

    [Fact]
    public void Retry_after_is_the_time_until_the_oldest_acquisition_leaves_the_window()
    {
        var limiter = new SlidingWindowLimiter(3, Window, _time);
        Assert.True(limiter.TryAcquire("k", out _));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limiter.TryAcquire("k", out _));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limiter.TryAcquire("k", out _));
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.False(limiter.TryAcquire("k", out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(30), retryAfter);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(limiter.TryAcquire("k", out retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);
    }

    [Fact]
    public void Acquisition_is_allowed_again_once_the_oldest_falls_out_of_the_window()
    {
        var limiter = new SlidingWindowLimiter(2, Window, _time);
        Assert.True(limiter.TryAcquire("k", out _));
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(limiter.TryAcquire("k", out _));
        Assert.False(limiter.TryAcquire("k", out var retryAfter));

        _time.Advance(retryAfter);
        Assert.True(limiter.TryAcquire("k", out _));
        Assert.False(limiter.TryAcquire("k", out retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(20), retryAfter);
    }

    [Fact]
    public void Refused_attempts_do_not_extend_the_wait()
    {
        var limiter = new SlidingWindowLimiter(1, Window, _time);
        Assert.True(limiter.TryAcquire("k", out _));
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            Assert.False(limiter.TryAcquire("k", out _));
        }
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limiter.TryAcquire("k", out _));
    }

    [Fact]
    public void Keys_are_independent()
    {
        var limiter = new SlidingWindowLimiter(1, Window, _time);
        Assert.True(limiter.TryAcquire("alice", out _));
        Assert.False(limiter.TryAcquire("alice", out _));
        Assert.True(limiter.TryAcquire("bob", out _));
        Assert.False(limiter.TryAcquire("bob", out _));
        Assert.True(limiter.TryAcquire("Alice", out _));
    }

    /// <summary>
    /// The limiter sweeps idle keys every 4096 calls. A key whose oldest acquisition has left the
    /// window but whose newer ones have not is not idle: sweeping it forgets those and lets the
    /// caller past the limit.
    /// </summary>
    [Fact]
    public void Periodic_sweep_does_not_forget_acquisitions_still_inside_the_window()
    {
        var limiter = new SlidingWindowLimiter(2, Window, _time);
        Assert.True(limiter.TryAcquire("k", out _));             // call 1, t = 0
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(limiter.TryAcquire("k", out _));             // call 2, t = 30 s
        _time.Advance(TimeSpan.FromSeconds(31));                 // t = 61 s: the first has left the window
        for (var call = 3; call < 4096; call++)
        {
            limiter.TryAcquire("other", out _);
        }

        Assert.True(limiter.TryAcquire("k", out _));             // call 4096 sweeps, then takes the freed permit
        Assert.False(limiter.TryAcquire("k", out var retryAfter)); // t = 30 s and t = 61 s are both in the window
        Assert.Equal(TimeSpan.FromSeconds(29), retryAfter);
    }

    [Fact]
    public void Sweep_keeps_limits_of_keys_that_are_still_full()
    {
        var limiter = new SlidingWindowLimiter(1, Window, _time);
        Assert.True(limiter.TryAcquire("k", out _));
        for (var call = 2; call <= 4096 * 2; call++)
        {
            limiter.TryAcquire("other-" + (call % 7), out _);
        }
        Assert.False(limiter.TryAcquire("k", out _));
    }

    [Fact]
    public void A_limiter_tracks_no_more_keys_than_its_cap_however_many_it_sees()
    {
        var limiter = new SlidingWindowLimiter(1, Window, _time, maxKeys: 100);
        for (var i = 0; i < 1_000; i++)
        {
            Assert.True(limiter.TryAcquire($"reporter{i}", out _));
            Assert.InRange(limiter.Keys, 1, 100);
        }
    }

    [Fact]
    public void A_full_limiter_still_limits_the_keys_it_tracks_and_lets_new_keys_through_untracked()
    {
        var limiter = new SlidingWindowLimiter(1, Window, _time, maxKeys: 2);
        Assert.True(limiter.TryAcquire("a", out _));
        Assert.True(limiter.TryAcquire("b", out _));

        Assert.True(limiter.TryAcquire("c", out var none), "a key over the cap is taken, as after a restart");
        Assert.Equal(TimeSpan.Zero, none);
        Assert.True(limiter.TryAcquire("c", out _), "and not tracked");
        Assert.False(limiter.TryAcquire("a", out _), "tracked keys keep their limit");
        Assert.Equal(2, limiter.Keys);
    }

    [Fact]
    public void A_full_limiter_makes_room_once_old_keys_leave_the_window()
    {
        var limiter = new SlidingWindowLimiter(1, Window, _time, maxKeys: 2);
        Assert.True(limiter.TryAcquire("a", out _));
        Assert.True(limiter.TryAcquire("b", out _));
        _time.Advance(Window);

        Assert.True(limiter.TryAcquire("c", out _));
        Assert.False(limiter.TryAcquire("c", out _), "the new key is tracked now");
    }
}
