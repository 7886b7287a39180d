using System.Text;
using Relay.Core.Identifiers;

namespace Relay.Core.Tests.Identifiers;

public sealed class RoomAliasTests
{
    [Theory]
    [InlineData("#community:example.org")]
    [InlineData("#a:b")]
    [InlineData("#linux-distro_help.en:matrix.example.org:8448")]
    [InlineData("#room:[::1]")]
    [InlineData("#room:10.0.0.1:8008")]
    [InlineData("#x#y!z$:example.org")]
    public void Well_formed_alias_is_accepted(string value)
    {
        Assert.True(RoomAlias.TryParse(value, out var alias));
        Assert.Equal(value, alias.Value);
        Assert.Equal(value, alias.ToString());
    }

    /// <summary>
    /// Spec appendix: an alias localpart "may contain any valid non-surrogate Unicode codepoints
    /// except : and NUL". Relay only adds: no slashes, whitespace or control characters.
    /// </summary>
    [Theory]
    [InlineData("#café:example.org")]
    [InlineData("#русский:example.org")]
    [InlineData("#日本語:example.org")]
    [InlineData("#🏳️‍🌈-pride:example.org")]
    public void Alias_with_non_ascii_localpart_is_accepted(string value) =>
        Assert.True(RoomAlias.TryParse(value, out _));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("#")]
    [InlineData("#:example.org")]
    [InlineData("#room")]
    [InlineData("#room:")]
    [InlineData("room:example.org")]
    [InlineData("!room:example.org")]
    [InlineData("@room:example.org")]
    [InlineData("#room:bad server")]
    [InlineData("#room:example.org:123456")]
    [InlineData("#ro om:example.org")]
    [InlineData("#ro\u0000om:example.org")]
    [InlineData("#ro\u0085om:example.org")]
    [InlineData("#ro\u2028om:example.org")]
    [InlineData("#ro\u00A0om:example.org")]
    [InlineData("#../..:example.org")]
    [InlineData("#a\\b:example.org")]
    public void Malformed_alias_is_rejected(string? value)
    {
        Assert.False(RoomAlias.TryParse(value, out var alias));
        Assert.Equal(default, alias);
    }

    [Fact]
    public void Alias_with_a_lone_surrogate_is_rejected()
    {
        // Built in code: a lone surrogate does not survive xunit's serialization of InlineData.
        var value = "#ro" + (char)0xD800 + "om:example.org";
        Assert.False(RoomAlias.TryParse(value, out _));
        Assert.False(RoomAlias.TryParse("#ro" + (char)0xDC00 + (char)0xD800 + "m:example.org", out _));
    }

    [Fact]
    public void Alias_of_exactly_255_bytes_is_accepted_and_256_rejected()
    {
        var fits = "#" + new string('a', 255 - 1 - ":example.org".Length) + ":example.org";
        var over = "#" + new string('a', 256 - 1 - ":example.org".Length) + ":example.org";
        Assert.Equal(255, Encoding.UTF8.GetByteCount(fits));
        Assert.True(RoomAlias.TryParse(fits, out _));
        Assert.False(RoomAlias.TryParse(over, out _));
    }

    [Fact]
    public void Alias_with_multi_byte_characters_is_limited_to_255_utf8_bytes()
    {
        // 'é' is two bytes in UTF-8: "#" + 121 of them + ":example.org" is 255 bytes but only 134 characters.
        var fits = "#" + new string('é', 121) + ":example.org";
        var over = "#" + new string('é', 121) + "x:example.org";
        Assert.Equal(255, Encoding.UTF8.GetByteCount(fits));
        Assert.Equal(256, Encoding.UTF8.GetByteCount(over));
        Assert.True(RoomAlias.TryParse(fits, out _));
        Assert.False(RoomAlias.TryParse(over, out _));
    }
}
