using Microsoft.Extensions.Time.Testing;
using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Core.Tests.Reports;

public sealed class IntakeLimitsTests
{
    private static readonly RoomId Room = RoomId.Parse("!room:example.org");
    private static readonly RoomId OtherRoom = RoomId.Parse("!other:example.org");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Per_reporter_limit_applies_across_rooms()
    {
        var limits = IntakeLimits.PerMinute(perReporter: 2, perRoom: 100, _time);
        Assert.Null(limits.TryAcquire("alice", Room));
        Assert.Null(limits.TryAcquire("alice", OtherRoom));
        Assert.Equal(TimeSpan.FromMinutes(1), limits.TryAcquire("alice", null));
        Assert.Null(limits.TryAcquire("bob", Room));
    }

    [Fact]
    public void Per_room_limit_applies_across_reporters()
    {
        var limits = IntakeLimits.PerMinute(perReporter: 100, perRoom: 3, _time);
        Assert.Null(limits.TryAcquire("alice", Room));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(limits.TryAcquire("bob", Room));
        Assert.Null(limits.TryAcquire("carol", Room));

        var wait = limits.TryAcquire("dave", Room);
        Assert.Equal(TimeSpan.FromSeconds(55), wait);
        Assert.Null(limits.TryAcquire("dave", OtherRoom));
    }

    [Fact]
    public void Room_limit_lifts_when_the_window_passes()
    {
        var limits = IntakeLimits.PerMinute(perReporter: 100, perRoom: 1, _time);
        Assert.Null(limits.TryAcquire("alice", Room));
        var wait = limits.TryAcquire("bob", Room);
        Assert.NotNull(wait);
        _time.Advance(wait.Value);
        Assert.Null(limits.TryAcquire("bob", Room));
    }

    [Fact]
    public void Reports_without_a_room_are_limited_only_per_reporter()
    {
        var limits = IntakeLimits.PerMinute(perReporter: 3, perRoom: 1, _time);
        Assert.Null(limits.TryAcquire("alice", null));
        Assert.Null(limits.TryAcquire("bob", null));
        Assert.Null(limits.TryAcquire("alice", null));
    }
}
