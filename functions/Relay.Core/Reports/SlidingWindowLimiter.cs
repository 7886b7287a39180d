using System.Collections.Concurrent;

namespace Relay.Core.Reports;

/// <summary>
/// At most <c>permits</c> acquisitions per key in any <c>window</c>. In memory: a restart forgets,
/// which errs on the side of taking reports.
/// </summary>
public sealed class SlidingWindowLimiter(int permits, TimeSpan window, TimeProvider time)
{
    private const int SweepEvery = 4096;
    private readonly ConcurrentDictionary<string, Queue<long>> _buckets = new(StringComparer.Ordinal);
    private int _calls;

    public bool TryAcquire(string key, out TimeSpan retryAfter)
    {
        var now = time.GetTimestamp();
        var windowTicks = (long)(window.TotalSeconds * time.TimestampFrequency);
        if (Interlocked.Increment(ref _calls) % SweepEvery == 0)
        {
            Sweep(now, windowTicks);
        }
        var bucket = _buckets.GetOrAdd(key, static _ => new Queue<long>());
        lock (bucket)
        {
            while (bucket.Count > 0 && now - bucket.Peek() >= windowTicks)
            {
                bucket.Dequeue();
            }
            if (bucket.Count < permits)
            {
                bucket.Enqueue(now);
                retryAfter = TimeSpan.Zero;
                return true;
            }
            var waitTicks = bucket.Peek() + windowTicks - now;
            retryAfter = TimeSpan.FromSeconds((double)waitTicks / time.TimestampFrequency);
            return false;
        }
    }

    private void Sweep(long now, long windowTicks)
    {
        foreach (var (key, bucket) in _buckets)
        {
            lock (bucket)
            {
                if (bucket.Count == 0 || now - bucket.Peek() >= windowTicks)
                {
                    _buckets.TryRemove(key, out _);
                }
            }
        }
    }
}
