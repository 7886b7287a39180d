using System.Collections.Concurrent;

namespace Relay.Core.Memory;

/// <summary>
/// A cache whose entries expire and whose size is capped, so what Relay remembers about tokens, rooms and servers does
/// not grow with the work it has done. When an insert finds it full, expired entries go first; if it is still full, the
/// quarter of entries closest to expiry go too (one sort per quarter of the capacity inserted, so the cost per insert
/// stays small). Concurrent inserts may pass the cap by at most their number until the next insert makes room.
/// </summary>
public sealed class ExpiringCache<TKey, TValue>(int capacity, TimeProvider time, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new(comparer);
    private readonly Lock _evicting = new();

    public int Capacity { get; } = capacity >= 1 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), "A cache holds at least one entry.");

    public int Count => _entries.Count;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Until > time.GetUtcNow())
        {
            value = entry.Value;
            return true;
        }
        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        if (_entries.Count >= Capacity && !_entries.ContainsKey(key))
        {
            MakeRoom(now);
        }
        _entries[key] = new Entry(value, now + lifetime);
    }

    public void Remove(TKey key) => _entries.TryRemove(key, out _);

    private void MakeRoom(DateTimeOffset now)
    {
        lock (_evicting)
        {
            if (_entries.Count < Capacity)
            {
                return; // another insert made room meanwhile
            }
            foreach (var (key, entry) in _entries)
            {
                if (entry.Until <= now)
                {
                    _entries.TryRemove(KeyValuePair.Create(key, entry));
                }
            }
            var excess = _entries.Count - Capacity * 3 / 4;
            if (excess <= 0)
            {
                return;
            }
            foreach (var (key, entry) in _entries.OrderBy(e => e.Value.Until).Take(excess).ToList())
            {
                _entries.TryRemove(KeyValuePair.Create(key, entry));
            }
        }
    }

    private sealed record Entry(TValue Value, DateTimeOffset Until);
}
