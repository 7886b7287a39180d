using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Relay.Core.Memory;
using Relay.Host.Memory;

namespace Relay.Tests.Memory;

public sealed class IdleMemoryTrimmerTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly TimerCountingTimeProvider _time = new();
    private readonly WorkInFlight _work = new();
    private readonly RecordingRelease _release = new();
    private readonly SemaphoreSlim _trimmed = new(0);
    private int _trims;
    private long _allocated;
    private IdleMemoryTrimmer? _trimmer;

    [Fact]
    public async Task A_burst_is_trimmed_once_after_the_idle_period_and_not_again_while_idle()
    {
        await StartAsync(idleSeconds: 1);

        Burst();
        await _time.WaitForTimersAsync(1);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, _trims);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitForTrimAsync();

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, _trims);
        Assert.Equal(1, _time.TimersCreated);
        Assert.Equal(1, _release.Releases);
    }

    [Fact]
    public async Task The_next_burst_is_trimmed_again()
    {
        await StartAsync(idleSeconds: 1);
        Burst();
        await _time.WaitForTimersAsync(1);
        _time.Advance(TimeSpan.FromSeconds(1));
        await WaitForTrimAsync();

        Burst();
        await _time.WaitForTimersAsync(2);
        _time.Advance(TimeSpan.FromSeconds(1));
        await WaitForTrimAsync();

        Assert.Equal(2, _trims);
        Assert.Equal(2, _release.Releases);
    }

    [Fact]
    public async Task Bursts_that_allocated_little_are_trimmed_only_once_they_add_up()
    {
        await StartAsync(idleSeconds: 1);

        for (var burst = 1; burst <= 4; burst++)
        {
            Burst(IdleMemoryTrimmer.MinAllocatedBytes / 4);
            // The trimmer waits on a new quiet period only once it has dealt with the previous one.
            await _time.WaitForTimersAsync(burst);
            Assert.Equal(0, _trims);
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        await WaitForTrimAsync();

        Assert.Equal(1, _trims);
        Assert.Equal(1, _release.Releases);
    }

    [Fact]
    public async Task Nothing_is_trimmed_while_work_is_in_flight()
    {
        await StartAsync(idleSeconds: 1);
        Burst();
        await _time.WaitForTimersAsync(1);
        var request = _work.Begin();

        _time.Advance(TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromMinutes(5));
        request.Dispose();
        // A new quiet period starts when the request ends: proof the first one ended without a trim.
        await _time.WaitForTimersAsync(2);
        Assert.Equal(0, _trims);

        _time.Advance(TimeSpan.FromSeconds(1));
        await WaitForTrimAsync();
        Assert.Equal(1, _trims);
    }

    [Fact]
    public async Task Work_that_comes_and_goes_during_the_quiet_period_starts_it_again()
    {
        await StartAsync(idleSeconds: 2);
        Burst();
        await _time.WaitForTimersAsync(1);
        _time.Advance(TimeSpan.FromSeconds(1));

        Burst();
        _time.Advance(TimeSpan.FromSeconds(1));
        await _time.WaitForTimersAsync(2);
        Assert.Equal(0, _trims);

        _time.Advance(TimeSpan.FromSeconds(2));
        await WaitForTrimAsync();
        Assert.Equal(1, _trims);
    }

    [Fact]
    public async Task Zero_seconds_never_trims()
    {
        await StartAsync(idleSeconds: 0);

        Burst();
        _time.Advance(TimeSpan.FromMinutes(10));

        await _trimmer!.ExecuteTask!.WaitAsync(Wait);
        Assert.Equal(0, _time.TimersCreated);
        Assert.Equal(0, _trims);
    }

    [Fact]
    public async Task A_failing_release_does_not_stop_the_process_trim()
    {
        _release.Fail = true;
        await StartAsync(idleSeconds: 1);

        Burst();
        await _time.WaitForTimersAsync(1);
        _time.Advance(TimeSpan.FromSeconds(1));

        await WaitForTrimAsync();
        Assert.Equal(1, _release.Releases);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3601)]
    public void An_idle_trim_out_of_range_is_named_with_what_to_set(int seconds)
    {
        var result = new MemoryOptionsValidator().Validate(null, new MemoryOptions { IdleTrimSeconds = seconds });

        Assert.StartsWith("Relay__Memory__IdleTrimSeconds must be between 0 and 3600 (default 1)", Assert.Single(result.Failures!),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3600)]
    public void An_idle_trim_in_range_is_accepted(int seconds) =>
        Assert.True(new MemoryOptionsValidator().Validate(null, new MemoryOptions { IdleTrimSeconds = seconds }).Succeeded);

    [Theory]
    [InlineData(nameof(MemoryOptions.WhoAmICacheEntries))]
    [InlineData(nameof(MemoryOptions.RateLimitKeys))]
    [InlineData(nameof(MemoryOptions.ModeratorCacheRooms))]
    [InlineData(nameof(MemoryOptions.SupportCacheServers))]
    public void A_cache_cap_below_one_or_above_a_million_is_named_with_what_to_set(string setting)
    {
        foreach (var value in new[] { 0, 1_000_001 })
        {
            var options = new MemoryOptions();
            typeof(MemoryOptions).GetProperty(setting)!.SetValue(options, value);

            var failure = Assert.Single(new MemoryOptionsValidator().Validate(null, options).Failures!);

            Assert.StartsWith($"Relay__Memory__{setting} must be between 1 and 1,000,000 (default ", failure, StringComparison.Ordinal);
            Assert.EndsWith($"got {value}.", failure, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_default_cache_caps_are_accepted() =>
        Assert.True(new MemoryOptionsValidator().Validate(null, new MemoryOptions()).Succeeded);

    public void Dispose()
    {
        _trimmer?.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _trimmer?.Dispose();
        _trimmed.Dispose();
    }

    private async Task StartAsync(int idleSeconds)
    {
        _trimmer = new IdleMemoryTrimmer(_work, [_release], _time, Options.Create(new MemoryOptions { IdleTrimSeconds = idleSeconds }),
            NullLogger<IdleMemoryTrimmer>.Instance, () =>
            {
                Interlocked.Increment(ref _trims);
                _trimmed.Release();
            }, () => Interlocked.Read(ref _allocated));
        await _trimmer.StartAsync(CancellationToken.None);
    }

    /// <summary>One unit of work that allocated <paramref name="bytes"/>; by default enough to be worth a trim.</summary>
    private void Burst(long bytes = IdleMemoryTrimmer.MinAllocatedBytes)
    {
        using (_work.Begin())
        {
            Interlocked.Add(ref _allocated, bytes);
        }
    }

    private async Task WaitForTrimAsync() => Assert.True(await _trimmed.WaitAsync(Wait), "no trim");

    /// <summary>Counts the timers the trimmer creates, so a test knows its quiet period has begun before advancing the clock.</summary>
    private sealed class TimerCountingTimeProvider() : FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero))
    {
        private int _timers;

        public int TimersCreated => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _timers);
            return timer;
        }

        public async Task WaitForTimersAsync(int count)
        {
            var deadline = DateTime.UtcNow + Wait;
            while (TimersCreated < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the trimmer created {TimersCreated} timer(s), not {count}");
                await Task.Delay(5);
            }
        }
    }

    private sealed class RecordingRelease : IIdleMemoryRelease
    {
        private int _releases;

        public bool Fail { get; set; }

        public int Releases => Volatile.Read(ref _releases);

        public void ReleaseIdleMemory()
        {
            Interlocked.Increment(ref _releases);
            if (Fail)
            {
                throw new InvalidOperationException("pool busy");
            }
        }
    }
}
