using Relay.Core.Identifiers;

namespace Relay.Core.Tests.Identifiers;

public sealed class ServerNameTests
{
    [Theory]
    [InlineData("matrix.org")]
    [InlineData("localhost")]
    [InlineData("MATRIX-1.example")]
    [InlineData("matrix.org:8448")]
    [InlineData("matrix.org:1")]
    [InlineData("matrix.org:99999")]
    [InlineData("1.2.3.4")]
    [InlineData("1.2.3.4:1234")]
    [InlineData("[1234:5678::abcd]")]
    [InlineData("[1234:5678::abcd]:5678")]
    [InlineData("[::1]")]
    [InlineData("[::ffff:1.2.3.4]:80")]
    public void Spec_server_names_are_accepted(string value) =>
        Assert.True(IdentifierGrammar.IsServerName(value));

    [Theory]
    [InlineData("")]
    [InlineData(":8448")]
    [InlineData("matrix.org:")]
    [InlineData("matrix.org:123456")]
    [InlineData("matrix.org:84a8")]
    [InlineData("matrix.org:+80")]
    [InlineData("matrix.org:80:80")]
    [InlineData("matrix_org")]
    [InlineData("matrix.org/")]
    [InlineData("matrix .org")]
    [InlineData("mätrix.org")]
    [InlineData("[]")]
    [InlineData("[:]")]
    [InlineData("[::1")]
    [InlineData("::1")]
    [InlineData("[::1]8448")]
    [InlineData("[::1]:")]
    [InlineData("[::1]:123456")]
    [InlineData("[::g]")]
    [InlineData("[fe80::1%25eth0]")]
    public void Malformed_server_names_are_rejected(string value) =>
        Assert.False(IdentifierGrammar.IsServerName(value));

    [Fact]
    public void Ipv6_literal_longer_than_45_characters_is_rejected()
    {
        var host = "[" + string.Join(':', Enumerable.Repeat("ffff", 9)) + ":f]";
        Assert.True(host.Length - 2 > 45);
        Assert.False(IdentifierGrammar.IsServerName(host));
    }

    [Fact]
    public void Dns_name_longer_than_255_characters_is_rejected()
    {
        Assert.True(IdentifierGrammar.IsServerName(new string('a', 255)));
        Assert.False(IdentifierGrammar.IsServerName(new string('a', 256)));
    }
}
