using System.Text;
using Relay.Core.Identifiers;

namespace Relay.Core.Tests.Identifiers;

public sealed class RoomIdTests
{
    [Theory]
    [InlineData("!abcdefg:example.org")]
    [InlineData("!a:b")]
    [InlineData("!abc:example.org:8448")]
    [InlineData("!abc:[::1]:8448")]
    [InlineData("!abc:1.2.3.4")]
    [InlineData("!31hneApxJ_1o-63DmFrpeqnkFfWppnzWso1JvH3ogLM")]
    [InlineData("!a")]
    [InlineData("!a.b-c_d~e=f+g")]
    public void Well_formed_room_id_is_accepted(string value)
    {
        Assert.True(RoomId.TryParse(value, out var id));
        Assert.Equal(value, id.Value);
        Assert.Equal(value, RoomId.Parse(value).ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("!")]
    [InlineData("abc:example.org")]
    [InlineData("$abc:example.org")]
    [InlineData("#abc:example.org")]
    [InlineData("@abc:example.org")]
    [InlineData("!:example.org")]
    [InlineData("!abc:")]
    [InlineData("!abc:exa mple.org")]
    [InlineData("!abc:example_org")]
    [InlineData("!abc:example.org:123456")]
    [InlineData("!abc:example.org:")]
    [InlineData("!abc:[::1")]
    [InlineData("!abc:[zz::1]")]
    [InlineData("!ab c:example.org")]
    [InlineData(" !abc:example.org")]
    [InlineData("!abc:example.org ")]
    [InlineData("!ab\tc:example.org")]
    [InlineData("!ab\nc")]
    [InlineData("!ab\u0000c")]
    [InlineData("!ab\u007Fc")]
    [InlineData("!ab\u00A0c")]
    [InlineData("!../..:x")]
    [InlineData("!..\\..:x")]
    [InlineData("!abc/def")]
    [InlineData("!abc\\def")]
    [InlineData("!abc:example.org/..")]
    public void Malformed_room_id_is_rejected(string? value)
    {
        Assert.False(RoomId.TryParse(value, out var id));
        Assert.Equal(default, id);
    }

    [Fact]
    public void Parse_of_a_malformed_room_id_throws_FormatException() =>
        Assert.Throws<FormatException>(() => RoomId.Parse("!../..:x"));

    [Theory]
    [InlineData(":example.org")]
    [InlineData("")]
    public void Room_id_of_exactly_255_bytes_is_accepted_and_256_rejected(string server)
    {
        var fits = "!" + new string('r', 255 - 1 - server.Length) + server;
        var over = "!" + new string('r', 256 - 1 - server.Length) + server;
        Assert.Equal(255, Encoding.UTF8.GetByteCount(fits));
        Assert.True(RoomId.TryParse(fits, out _));
        Assert.False(RoomId.TryParse(over, out _));
    }

    /// <summary>
    /// The spec lets a room ID's opaque part hold any non-surrogate code point; Relay only refuses
    /// slashes, whitespace and control characters. The 255 limit is in UTF-8 bytes, not characters.
    /// </summary>
    [Fact]
    public void Room_id_with_multi_byte_characters_is_limited_to_255_utf8_bytes()
    {
        var fits = "!" + new string('é', 121) + ":example.org";
        var over = "!" + new string('é', 121) + "x:example.org";
        Assert.Equal(255, Encoding.UTF8.GetByteCount(fits));
        Assert.Equal(256, Encoding.UTF8.GetByteCount(over));
        Assert.True(over.Length < 255, "the limit is in bytes, not characters");
        Assert.True(RoomId.TryParse(fits, out _));
        Assert.False(RoomId.TryParse(over, out _));
    }
}
