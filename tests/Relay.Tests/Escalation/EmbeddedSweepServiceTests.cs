using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Relay.Core.Sweep;
using Relay.Sqlite;

namespace Relay.Tests.Escalation;

public sealed class EmbeddedSweepServiceTests
{
    private sealed class CountingPart : ISweepPart
    {
        public int Runs;

        public SemaphoreSlim Ran { get; } = new(0);

        public string Name => "counting";

        public Task<int> SweepAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Runs);
            Ran.Release();
            return Task.FromResult(1);
        }
    }

    private sealed class BrokenPart : ISweepPart
    {
        public string Name => "broken";

        public Task<int> SweepAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("store down");
    }

    [Fact]
    public async Task The_embedded_sweep_runs_every_part_on_each_tick_of_the_injected_clock_even_when_one_fails()
    {
        var time = new FakeTimeProvider(EscalationWorld.Start);
        var part = new CountingPart();
        using var service = new EmbeddedSweepService(new SweepRunner([new BrokenPart(), part]), time,
            NullLogger<EmbeddedSweepService>.Instance, new EmbeddedSweepOptions(TimeSpan.FromMinutes(1)));

        await service.StartAsync(CancellationToken.None);
        Assert.Equal(0, Volatile.Read(ref part.Runs));
        for (var tick = 1; tick <= 3; tick++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            Assert.True(await part.Ran.WaitAsync(TimeSpan.FromSeconds(10)), $"no run after tick {tick}");
        }
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(3, part.Runs);
    }
}
