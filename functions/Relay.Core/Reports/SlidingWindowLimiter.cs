using System.Collections.Concurrent;

namespace Relay.Core.Reports;

/// <summary>
/// At most <c>permits</c> acquisitions per key in any <c>window</c>. In memory: a restart forgets,
/// which errs on the side of taking reports.
/// </summary>
public sealed class SlidingWindowLimiter(int permits, TimeSpan window, TimeProvider time)
{
    private const int SweepEvery = 4096;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private int _calls;

    public bool TryAcquire(string key, out TimeSpan retryAfter)
    {
        var now = time.GetTimestamp();
        var windowTicks = (long)(window.TotalSeconds * time.TimestampFrequency);
        if (Interlocked.Increment(ref _calls) % SweepEvery == 0)
        {
            Sweep(now, windowTicks);
        }
        while (true)
        {
            var bucket = _buckets.GetOrAdd(key, static _ => new Bucket());
            lock (bucket)
            {
                if (bucket.Removed)
                {
                    continue; // swept between GetOrAdd and the lock: take the key's new bucket
                }
                bucket.Expire(now, windowTicks);
                if (bucket.Times.Count < permits)
                {
                    bucket.Times.Enqueue(now);
                    retryAfter = TimeSpan.Zero;
                    return true;
                }
                var waitTicks = bucket.Times.Peek() + windowTicks - now;
                retryAfter = TimeSpan.FromSeconds((double)waitTicks / time.TimestampFrequency);
                return false;
            }
        }
    }

    private void Sweep(long now, long windowTicks)
    {
        foreach (var (key, bucket) in _buckets)
        {
            lock (bucket)
            {
                // Only a key with nothing left in the window is idle; its newer entries still count.
                bucket.Expire(now, windowTicks);
                if (bucket.Times.Count == 0)
                {
                    bucket.Removed = true;
                    _buckets.TryRemove(KeyValuePair.Create(key, bucket));
                }
            }
        }
    }

    private sealed class Bucket
    {
        public Queue<long> Times { get; } = new();

        public bool Removed { get; set; }

        public void Expire(long now, long windowTicks)
        {
            while (Times.Count > 0 && now - Times.Peek() >= windowTicks)
            {
                Times.Dequeue();
            }
        }
    }
}
