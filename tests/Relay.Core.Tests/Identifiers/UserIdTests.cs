using System.Text;
using Relay.Core.Identifiers;

namespace Relay.Core.Tests.Identifiers;

public sealed class UserIdTests
{
    [Theory]
    [InlineData("@alice:example.org")]
    [InlineData("@a:b")]
    [InlineData("@alice.smith_1=x-y/z+q:matrix.org")]
    [InlineData("@alice:example.org:8448")]
    [InlineData("@alice:1.2.3.4")]
    [InlineData("@alice:1.2.3.4:80")]
    [InlineData("@alice:[::1]")]
    [InlineData("@alice:[2001:db8::ff00:42:8329]:8448")]
    [InlineData("@alice:example.org:65535")]
    public void Well_formed_user_id_is_accepted(string value)
    {
        Assert.True(UserId.TryParse(value, out var id));
        Assert.Equal(value, id.Value);
        Assert.Equal(value, UserId.Parse(value).ToString());
    }

    [Theory]
    [InlineData("@Alice!#$%&'()*+,-.:example.org")]
    [InlineData("@;<=>?[]^`{|}~\":example.org")]
    [InlineData("@\"quoted\":example.org")]
    public void Historical_localpart_characters_are_accepted(string value) =>
        Assert.True(UserId.TryParse(value, out _));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("@")]
    [InlineData("alice:example.org")]
    [InlineData("!alice:example.org")]
    [InlineData("#alice:example.org")]
    [InlineData("@alice")]
    [InlineData("@alice:")]
    [InlineData("@:example.org")]
    [InlineData("@alice:exa mple.org")]
    [InlineData("@ali ce:example.org")]
    [InlineData("@ali\tce:example.org")]
    [InlineData("@ali\u0000ce:example.org")]
    [InlineData("@ali\u007Fce:example.org")]
    [InlineData("@alice\n:example.org")]
    [InlineData("@alicé:example.org")]
    [InlineData("@alice:exämple.org")]
    [InlineData("@alice:example_org")]
    [InlineData("@alice:example.org:")]
    [InlineData("@alice:example.org:123456")]
    [InlineData("@alice:example.org:80a")]
    [InlineData("@alice:example.org:-1")]
    [InlineData("@alice:example.org/evil")]
    [InlineData("@alice:[::1")]
    [InlineData("@alice:[]")]
    [InlineData("@alice:[::1]x")]
    [InlineData("@alice:[::1]:")]
    [InlineData("@alice:[::1]:123456")]
    [InlineData("@alice:[fe80::1%eth0]")]
    [InlineData("@alice:::1")]
    public void Malformed_user_id_is_rejected(string? value)
    {
        Assert.False(UserId.TryParse(value, out var id));
        Assert.Equal(default, id);
    }

    [Fact]
    public void Parse_of_a_malformed_user_id_throws_FormatException() =>
        Assert.Throws<FormatException>(() => UserId.Parse("alice"));

    [Fact]
    public void User_id_of_exactly_255_bytes_is_accepted()
    {
        var value = "@" + new string('a', 255 - 1 - ":example.org".Length) + ":example.org";
        Assert.Equal(255, Encoding.UTF8.GetByteCount(value));
        Assert.True(UserId.TryParse(value, out _));
    }

    [Fact]
    public void User_id_longer_than_255_bytes_is_rejected()
    {
        var value = "@" + new string('a', 256 - 1 - ":example.org".Length) + ":example.org";
        Assert.Equal(256, Encoding.UTF8.GetByteCount(value));
        Assert.False(UserId.TryParse(value, out _));
    }

    [Theory]
    [InlineData("@alice:example.org", "alice", "example.org")]
    [InlineData("@alice:example.org:8448", "alice", "example.org:8448")]
    [InlineData("@bob:[::1]:8448", "bob", "[::1]:8448")]
    [InlineData("@a=b:1.2.3.4", "a=b", "1.2.3.4")]
    public void Localpart_and_server_split_at_the_first_colon(string value, string localpart, string server)
    {
        var id = UserId.Parse(value);
        Assert.Equal(localpart, id.Localpart);
        Assert.Equal(server, id.Server);
    }

    [Fact]
    public void User_ids_compare_by_value_and_case_sensitively()
    {
        Assert.Equal(UserId.Parse("@alice:example.org"), UserId.Parse("@alice:example.org"));
        Assert.NotEqual(UserId.Parse("@alice:example.org"), UserId.Parse("@Alice:example.org"));
    }
}
