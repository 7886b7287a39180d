using Microsoft.Extensions.Time.Testing;
using Relay.Core.Cases;

namespace Relay.Core.Tests.Cases;

public sealed class CaseIdTests
{
    [Fact]
    public void A_generated_ulid_parses_as_a_case_id()
    {
        var ulid = new UlidGenerator(new FakeTimeProvider()).Next();
        Assert.True(CaseId.TryParse(ulid, out var id));
        Assert.Equal(ulid, id.Value);
        Assert.Equal(ulid, CaseId.Parse(ulid).ToString());
        Assert.Equal(id, CaseId.Parse(ulid));
    }

    [Fact]
    public void Short_form_is_the_last_eight_characters()
    {
        var id = CaseId.Parse("01J2ABCDEFGHJKMNPQRSTVWXYZ");
        Assert.Equal("RSTVWXYZ", id.Short);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("01J2ABCDEFGHJKMNPQRSTVWXY")]
    [InlineData("01J2ABCDEFGHJKMNPQRSTVWXYZ0")]
    [InlineData("01j2abcdefghjkmnpqrstvwxyz")]
    [InlineData("01J2ABCDEFGHJKMNPQRSTVWXY-")]
    [InlineData("01J2ABCDEFGHJKMNPQRSTVWXY ")]
    [InlineData("01J2ABCDEFGHJKMNPQRST/../Z")]
    [InlineData("01J2ABCDEFGHJKMNPQRSTVWXYÉ")]
    public void Malformed_case_id_is_rejected(string? value)
    {
        Assert.False(CaseId.TryParse(value, out var id));
        Assert.Equal(default, id);
    }

    [Fact]
    public void Parse_of_a_malformed_case_id_throws_FormatException() =>
        Assert.Throws<FormatException>(() => CaseId.Parse("not-a-case"));
}
