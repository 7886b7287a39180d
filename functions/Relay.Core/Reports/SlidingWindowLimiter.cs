using System.Collections.Concurrent;

namespace Relay.Core.Reports;

/// <summary>
/// At most <c>permits</c> acquisitions per key in any <c>window</c>. In memory: a restart forgets,
/// which errs on the side of taking reports. At most <c>maxKeys</c> keys are tracked
/// (<c>Relay__Memory__RateLimitKeys</c>): when that many keys each have an acquisition within the window, a new key
/// goes through untracked, as after a restart, rather than memory growing with every reporter or address seen.
/// </summary>
public sealed class SlidingWindowLimiter(int permits, TimeSpan window, TimeProvider time, int maxKeys = SlidingWindowLimiter.DefaultMaxKeys)
{
    public const int DefaultMaxKeys = 10_000;
    private const int SweepEvery = 4096;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _sweeping = new();
    private int _calls;

    /// <summary>Keys tracked now.</summary>
    public int Keys => _buckets.Count;

    public bool TryAcquire(string key, out TimeSpan retryAfter)
    {
        var now = time.GetTimestamp();
        var windowTicks = (long)(window.TotalSeconds * time.TimestampFrequency);
        if (Interlocked.Increment(ref _calls) % SweepEvery == 0)
        {
            Sweep(now, windowTicks);
        }
        if (_buckets.Count >= maxKeys && !_buckets.ContainsKey(key))
        {
            Sweep(now, windowTicks);
            if (_buckets.Count >= maxKeys)
            {
                retryAfter = TimeSpan.Zero;
                return true;
            }
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
        // One sweep at a time: a full limiter would otherwise have every new key walk all the others at once.
        if (!_sweeping.TryEnter())
        {
            return;
        }
        try
        {
            SweepAll(now, windowTicks);
        }
        finally
        {
            _sweeping.Exit();
        }
    }

    private void SweepAll(long now, long windowTicks)
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
