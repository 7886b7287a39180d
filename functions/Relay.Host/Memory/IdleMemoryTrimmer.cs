using System.Diagnostics;
using Microsoft.Extensions.Options;
using Relay.Core.Memory;

namespace Relay.Host.Memory;

/// <summary>
/// Gives memory back once per burst of work: when nothing has been in flight for <see cref="MemoryOptions.IdleTrimSeconds"/>
/// after some activity, it releases the adapters' idle memory (pooled SQLite connections) and then trims the process
/// (<see cref="ProcessMemory"/>). A burst on 64 connections leaves the heap, the connection pool and glibc's per-thread
/// arenas at their high-water mark, which a consumption plan keeps paying for while the instance sits idle.
/// Nothing breaks if a request starts during a trim: it waits out the blocking collection, and a connection in use
/// is closed when returned instead of pooled. Bursts that allocated little (a health probe, which Azure sends every
/// 30 s) are not trimmed until, added up, they reach <see cref="MinAllocatedBytes"/>.
/// </summary>
public sealed class IdleMemoryTrimmer : BackgroundService
{
    /// <summary>
    /// Below this, a burst has little to give back, and a trim costs a blocking full collection plus closing the store's
    /// connections, whose statements the next report then prepares again.
    /// </summary>
    public const long MinAllocatedBytes = 4 * 1024 * 1024;

    private readonly WorkInFlight _work;
    private readonly IIdleMemoryRelease[] _releases;
    private readonly TimeProvider _time;
    private readonly TimeSpan _idle;
    private readonly ILogger<IdleMemoryTrimmer> _logger;
    private readonly Action _trimProcess;
    private readonly Func<long> _allocatedBytes;

    public IdleMemoryTrimmer(WorkInFlight work, IEnumerable<IIdleMemoryRelease> releases, TimeProvider time,
        IOptions<MemoryOptions> options, ILogger<IdleMemoryTrimmer> logger)
        : this(work, releases, time, options, logger, ProcessMemory.Trim, () => GC.GetTotalAllocatedBytes())
    {
    }

    /// <summary>
    /// Tests pass a <paramref name="trimProcess"/> that counts instead of collecting the test host's heap, and an
    /// <paramref name="allocatedBytes"/> they control instead of the test host's.
    /// </summary>
    internal IdleMemoryTrimmer(WorkInFlight work, IEnumerable<IIdleMemoryRelease> releases, TimeProvider time,
        IOptions<MemoryOptions> options, ILogger<IdleMemoryTrimmer> logger, Action trimProcess, Func<long> allocatedBytes)
    {
        _work = work;
        _releases = releases.ToArray();
        _time = time;
        _idle = TimeSpan.FromSeconds(options.Value.IdleTrimSeconds);
        _logger = logger;
        _trimProcess = trimProcess;
        _allocatedBytes = allocatedBytes;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_idle <= TimeSpan.Zero)
        {
            return;
        }
        try
        {
            await RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        // Work begun up to the last trim: none yet, so the first requests (even those Kestrel took before this
        // service started) make a burst. Allocation is counted from the process's start, which allocates plenty.
        var covered = 0L;
        var allocatedAtTrim = 0L;
        while (!cancellationToken.IsCancellationRequested)
        {
            var wentIdle = _work.ArmIdle();
            if (_work.Started == covered || _work.InFlight > 0)
            {
                // Nothing new since the last trim, or busy: sleep until the count next drops to zero.
                await wentIdle.WaitAsync(cancellationToken);
                continue;
            }
            var seen = _work.Started;
            await Task.Delay(_idle, _time, cancellationToken);
            if (_work.InFlight == 0 && _work.Started == seen)
            {
                var allocated = _allocatedBytes();
                if (allocated - allocatedAtTrim >= MinAllocatedBytes)
                {
                    Trim();
                    allocatedAtTrim = allocated;
                }
                covered = seen;
            }
            // Otherwise work came and went (or is running): the loop waits again for a full quiet period.
        }
    }

    private void Trim()
    {
        var started = Stopwatch.GetTimestamp();
        foreach (var release in _releases)
        {
            try
            {
                release.ReleaseIdleMemory();
            }
            catch (Exception e)
            {
                // Trimming is an optimisation: a failure must not stop the host, nor the other releases.
                _logger.LogWarning("Releasing idle memory in {Release} failed with {ErrorType}", release.GetType().Name, e.GetType().Name);
            }
        }
        _trimProcess();
        _logger.LogDebug("Released idle memory in {Elapsed} ms", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
