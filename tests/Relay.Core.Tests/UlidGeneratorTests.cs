using Microsoft.Extensions.Time.Testing;

namespace Relay.Core.Tests;

public sealed class UlidGeneratorTests
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Ulid_is_26_characters_of_the_crockford_alphabet()
    {
        var ids = new UlidGenerator(_time);
        for (var i = 0; i < 1000; i++)
        {
            var id = ids.Next();
            Assert.Equal(26, id.Length);
            Assert.All(id, c => Assert.Contains(c, Crockford));
            Assert.InRange(id[0], '0', '7');
        }
    }

    [Fact]
    public void First_ten_characters_encode_the_unix_milliseconds()
    {
        var id = new UlidGenerator(_time).Next();
        long ms = 0;
        foreach (var c in id[..10])
        {
            ms = (ms << 5) | (long)Crockford.IndexOf(c, StringComparison.Ordinal);
        }
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), ms);
    }

    [Fact]
    public void Ulids_sort_by_creation_time()
    {
        var ids = new UlidGenerator(_time);
        var made = new List<string>();
        foreach (var step in new[] { 1, 1, 7, 1000, 1, 3_600_000, 1, 86_400_000, 1 })
        {
            made.Add(ids.Next());
            _time.Advance(TimeSpan.FromMilliseconds(step));
        }
        made.Add(ids.Next());
        Assert.Equal(made, made.Order(StringComparer.Ordinal));
        Assert.Equal(made.Count, made.Distinct().Count());
    }

    [Fact]
    public void Ulids_made_in_the_same_millisecond_are_unique_over_10k()
    {
        var ids = new UlidGenerator(_time);
        var made = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(made.Add(ids.Next()), $"duplicate after {i} ids");
        }
    }
}
