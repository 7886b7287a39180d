using Relay.Core.Text;

namespace Relay.Core.Tests.Text;

public sealed class CountedTests
{
    [Theory]
    [InlineData(0, "0 reports")]
    [InlineData(1, "1 report")]
    [InlineData(2, "2 reports")]
    [InlineData(1200, "1,200 reports")]
    public void A_count_names_its_noun_in_the_singular_only_for_one(long count, string expected) =>
        Assert.Equal(expected, Counted.Of(count, "report"));

    [Theory]
    [InlineData("category", "2 categories")]
    [InlineData("day", "2 days")]
    public void A_noun_in_y_takes_ies_after_a_consonant(string noun, string expected) =>
        Assert.Equal(expected, Counted.Of(2, noun));

    [Fact]
    public void An_irregular_plural_is_used_as_given() =>
        Assert.Equal("3 evidence items", Counted.Of(3, "evidence item"));
}
