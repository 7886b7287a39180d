using Microsoft.Extensions.Time.Testing;
using Relay.Core.Memory;

namespace Relay.Core.Tests.Memory;

public sealed class ExpiringCacheTests
{
    private static readonly TimeSpan Life = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void An_entry_is_found_until_its_lifetime_ends()
    {
        var cache = new ExpiringCache<string, int>(10, _time);
        cache.Set("a", 1, Life);

        _time.Advance(Life - TimeSpan.FromMilliseconds(1));
        Assert.True(cache.TryGet("a", out var value));
        Assert.Equal(1, value);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void Inserting_ten_times_the_capacity_never_holds_more_than_the_capacity()
    {
        var cache = new ExpiringCache<int, int>(100, _time);
        for (var i = 0; i < 1_000; i++)
        {
            cache.Set(i, i, Life);
            Assert.InRange(cache.Count, 1, 100);
        }
        Assert.True(cache.TryGet(999, out _), "the newest entry is kept");
    }

    [Fact]
    public void A_full_cache_drops_expired_entries_before_live_ones()
    {
        var cache = new ExpiringCache<string, int>(4, _time);
        cache.Set("old1", 1, TimeSpan.FromSeconds(1));
        cache.Set("old2", 2, TimeSpan.FromSeconds(1));
        cache.Set("live1", 3, Life);
        cache.Set("live2", 4, Life);
        _time.Advance(TimeSpan.FromSeconds(2));

        cache.Set("new", 5, Life);

        Assert.Equal(3, cache.Count);
        Assert.True(cache.TryGet("live1", out _));
        Assert.True(cache.TryGet("live2", out _));
        Assert.True(cache.TryGet("new", out _));
    }

    [Fact]
    public void A_cache_full_of_live_entries_drops_those_closest_to_expiry()
    {
        var cache = new ExpiringCache<string, int>(4, _time);
        cache.Set("soonest", 1, TimeSpan.FromSeconds(10));
        cache.Set("later1", 2, TimeSpan.FromSeconds(20));
        cache.Set("later2", 3, TimeSpan.FromSeconds(20));
        cache.Set("later3", 4, TimeSpan.FromSeconds(20));

        cache.Set("new", 5, Life);

        Assert.False(cache.TryGet("soonest", out _));
        Assert.True(cache.TryGet("new", out _));
        Assert.Equal(4, cache.Count);
    }

    [Fact]
    public void Replacing_an_entry_in_a_full_cache_drops_nothing()
    {
        var cache = new ExpiringCache<string, int>(2, _time);
        cache.Set("a", 1, Life);
        cache.Set("b", 2, Life);

        cache.Set("a", 3, Life);

        Assert.True(cache.TryGet("a", out var a));
        Assert.Equal(3, a);
        Assert.True(cache.TryGet("b", out _));
    }

    [Fact]
    public void A_capacity_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExpiringCache<string, int>(0, _time));
}
