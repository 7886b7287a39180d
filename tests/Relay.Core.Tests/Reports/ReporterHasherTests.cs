using System.Text;
using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Core.Tests.Reports;

public sealed class ReporterHasherTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("0123456789abcdef-relay-test-key");
    private static readonly UserId Alice = UserId.Parse("@alice:example.org");

    [Fact]
    public void Same_key_and_user_give_the_same_hash()
    {
        var first = new ReporterHasher(Key).Hash(Alice);
        var second = new ReporterHasher((byte[])Key.Clone()).Hash(Alice);
        Assert.Equal(first, second);
        Assert.Equal(first, new ReporterHasher(Key).Hash(Alice.Value));
    }

    [Fact]
    public void Different_keys_give_different_hashes()
    {
        var other = (byte[])Key.Clone();
        other[0] ^= 1;
        Assert.NotEqual(new ReporterHasher(Key).Hash(Alice), new ReporterHasher(other).Hash(Alice));
    }

    [Fact]
    public void Different_users_give_different_hashes() =>
        Assert.NotEqual(new ReporterHasher(Key).Hash(Alice), new ReporterHasher(Key).Hash(UserId.Parse("@bob:example.org")));

    [Fact]
    public void Hash_does_not_reveal_the_user_id()
    {
        var hash = new ReporterHasher(Key).Hash(Alice);
        Assert.DoesNotContain("alice", hash, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("example", hash, StringComparison.OrdinalIgnoreCase);
        var plainSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Alice.Value)));
        Assert.False(plainSha256.StartsWith(hash, StringComparison.Ordinal), "an unkeyed SHA-256 of the ID is reversible by guessing");
    }

    [Fact]
    public void Hash_is_32_lowercase_hex_characters()
    {
        var hash = new ReporterHasher(Key).Hash(Alice);
        Assert.Matches("^[0-9a-f]{32}$", hash);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    public void Key_shorter_than_16_bytes_is_rejected(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => new ReporterHasher(new byte[length]));
        Assert.Equal("key", error.ParamName);
    }

    [Fact]
    public void Key_of_16_bytes_is_accepted() =>
        Assert.Matches("^[0-9a-f]{32}$", new ReporterHasher(new byte[16]).Hash(Alice));
}
