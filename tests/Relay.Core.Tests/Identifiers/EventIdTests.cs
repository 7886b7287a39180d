using System.Text;
using Relay.Core.Identifiers;

namespace Relay.Core.Tests.Identifiers;

public sealed class EventIdTests
{
    [Theory]
    [InlineData("$abc123:example.org")]
    [InlineData("$abc:example.org:8448")]
    [InlineData("$abc:[2001:db8::1]")]
    [InlineData("$acR1l0raoZnm60CBwAVgqbZqoO-mYU81xysh1u7XcJk")]
    [InlineData("$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg")]
    [InlineData("$a+b=c")]
    public void Well_formed_event_id_is_accepted(string value)
    {
        Assert.True(EventId.TryParse(value, out var id));
        Assert.Equal(value, id.Value);
        Assert.Equal(value, EventId.Parse(value).ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("$")]
    [InlineData("abc:example.org")]
    [InlineData("!abc:example.org")]
    [InlineData("@abc:example.org")]
    [InlineData("$:example.org")]
    [InlineData("$abc:")]
    [InlineData("$abc:bad_server")]
    [InlineData("$abc:example.org:654321")]
    [InlineData("$ab c:example.org")]
    [InlineData("$abc\r\n")]
    [InlineData("$ab\u0001c")]
    [InlineData("$acR1l0raoZnm60CBwAVgqbZqoO/mYU81xysh1u7XcJk")]
    [InlineData("$../../admin")]
    [InlineData("$..\\..\\admin")]
    public void Malformed_event_id_is_rejected(string? value)
    {
        Assert.False(EventId.TryParse(value, out var id));
        Assert.Equal(default, id);
    }

    [Fact]
    public void Parse_of_a_malformed_event_id_throws_FormatException() =>
        Assert.Throws<FormatException>(() => EventId.Parse("$"));

    [Fact]
    public void Event_id_of_exactly_255_bytes_is_accepted_and_256_rejected()
    {
        var fits = "$" + new string('e', 254);
        var over = "$" + new string('e', 255);
        Assert.Equal(255, Encoding.UTF8.GetByteCount(fits));
        Assert.True(EventId.TryParse(fits, out _));
        Assert.False(EventId.TryParse(over, out _));
    }
}
