using Relay.Core.Memory;

namespace Relay.Core.Tests.Memory;

public sealed class WorkInFlightTests
{
    [Fact]
    public void Work_counts_while_in_flight_and_is_remembered_as_started_after_it_ends()
    {
        var work = new WorkInFlight();

        using (work.Begin())
        {
            using (work.Begin())
            {
                Assert.Equal(2, work.InFlight);
            }
            Assert.Equal(1, work.InFlight);
        }

        Assert.Equal(0, work.InFlight);
        Assert.Equal(2, work.Started);
    }

    [Fact]
    public void The_idle_waiter_completes_when_the_last_work_ends_not_the_first()
    {
        var work = new WorkInFlight();
        var first = work.Begin();
        var second = work.Begin();
        var idle = work.ArmIdle();

        first.Dispose();
        Assert.False(idle.IsCompleted);
        second.Dispose();

        Assert.True(idle.IsCompleted);
    }

    [Fact]
    public void Arming_while_idle_waits_for_the_next_burst_to_end()
    {
        var work = new WorkInFlight();
        using (work.Begin())
        {
        }

        var idle = work.ArmIdle();
        Assert.False(idle.IsCompleted);
        using (work.Begin())
        {
        }

        Assert.True(idle.IsCompleted);
    }

    [Fact]
    public void Arming_again_replaces_the_earlier_waiter()
    {
        var work = new WorkInFlight();
        var scope = work.Begin();
        var earlier = work.ArmIdle();
        var later = work.ArmIdle();

        scope.Dispose();

        Assert.True(later.IsCompleted);
        Assert.False(earlier.IsCompleted);
    }

    [Fact]
    public void Disposing_a_default_scope_neither_throws_nor_ends_anyone_elses_work()
    {
        // What an adapter without a counter uses (`_work is null ? default : _work.Begin()`).
        var work = new WorkInFlight();
        using var real = work.Begin();
        var idle = work.ArmIdle();

        var thrown = Record.Exception(() => new WorkInFlight.Scope().Dispose());

        Assert.Null(thrown);
        Assert.Equal(1, work.InFlight);
        Assert.False(idle.IsCompleted);
    }
}
