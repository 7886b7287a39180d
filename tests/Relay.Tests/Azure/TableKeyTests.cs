using Relay.Azure.Tables;

namespace Relay.Tests.Azure;

public sealed class TableKeyTests
{
    public static TheoryData<string> Keys =>
    [
        "",
        "event|!room:example.org $abc/def+ghi",
        @"back\slash #hash ?query %percent ~tilde",
        "tab\there\nnewline\u0000nul\u001Funit\u007Fdel\u0080\u009Fc1",
        "Unicode: läuft 🚩 日本語",
        "%41 looks escaped already",
        "\uD800 lone high, lone low \uDC00",
    ];

    [Theory]
    [MemberData(nameof(Keys))]
    public void Escaping_round_trips_and_leaves_no_forbidden_character(string value)
    {
        var key = TableKey.Escape(value);

        Assert.Equal(value, TableKey.Unescape(key));
        Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?' || c <= '\u001F' || c is >= '\u007F' and <= '\u009F');
        Assert.False(TableKey.IsHashed(key));
    }

    [Fact]
    public void Characters_Table_Storage_allows_are_kept_as_they_are()
    {
        Assert.Equal("event|!room:example.org $abc", TableKey.Escape("event|!room:example.org $abc"));
        Assert.Equal("a%2Fb%5Cc%23d%3Fe%25f%7Eg%0A", TableKey.Escape("a/b\\c#d?e%f~g\n"));
    }

    [Fact]
    public void Distinct_values_get_distinct_keys()
    {
        var values = new[] { "a/b", "a%2Fb", "a%252Fb", "~x", "%7Ex" };

        Assert.Equal(values.Length, values.Select(TableKey.For).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Overlong_key_is_hashed_deterministically_and_never_collides_with_an_escaped_one()
    {
        var slashes = new string('/', 300);
        var key = TableKey.For(slashes);

        Assert.True(TableKey.IsHashed(key));
        Assert.Equal(key, TableKey.For(slashes));
        Assert.Equal(65, key.Length);
        Assert.NotEqual(key, TableKey.For(new string('/', 301)));
        Assert.Throws<ArgumentException>(() => TableKey.Unescape(key));
        Assert.Equal(TableKey.MaxLength, TableKey.For(new string('a', TableKey.MaxLength)).Length);
    }

    [Theory]
    [InlineData("%")]
    [InlineData("%4")]
    [InlineData("%ZZ")]
    [InlineData("%u12")]
    public void Malformed_escape_is_refused(string key) =>
        Assert.Throws<FormatException>(() => TableKey.Unescape(key));
}
