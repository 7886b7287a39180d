using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Core.Tests.Reports;

public sealed class ReporterTests
{
    private static readonly UserId Alice = UserId.Parse("@alice:example.org");

    [Fact]
    public void Matrix_reporter_is_hashed_by_the_bare_user_id_so_earlier_hashes_still_match()
    {
        var reporter = Reporter.Matrix(Alice);

        Assert.Equal(Alice.Value, reporter.HashKey);
        Assert.Equal(Alice, reporter.UserId);
        Assert.True(reporter.IsAuthenticated);
        Assert.Null(reporter.ContactEmail);
    }

    [Fact]
    public void Web_reporter_with_a_contact_is_keyed_by_the_email_whatever_the_address_or_case()
    {
        var first = Reporter.WebForm("192.0.2.1", "Reporter@Example.org");
        var again = Reporter.WebForm("198.51.100.7", " reporter@example.org ");

        Assert.Equal(first.HashKey, again.HashKey);
        Assert.Null(first.UserId);
        Assert.False(first.IsAuthenticated);
        Assert.Equal("Reporter@Example.org", first.ContactEmail);
    }

    [Fact]
    public void Web_reporter_without_a_contact_is_keyed_by_the_client_address()
    {
        Assert.Equal(Reporter.WebForm("192.0.2.1", null).HashKey, Reporter.WebForm("192.0.2.1", " ").HashKey);
        Assert.NotEqual(Reporter.WebForm("192.0.2.1", null).HashKey, Reporter.WebForm("192.0.2.2", null).HashKey);
        Assert.Null(Reporter.WebForm("192.0.2.1", "").ContactEmail);
    }

    [Fact]
    public void Web_keys_never_equal_a_matrix_key()
    {
        var keys = new[] { Reporter.WebForm("@alice:example.org", null).HashKey, Reporter.WebForm("x", "@alice:example.org").HashKey };
        Assert.DoesNotContain(Reporter.Matrix(Alice).HashKey, keys);
    }

    [Fact]
    public void ToString_names_neither_the_user_nor_the_email()
    {
        var text = Reporter.Matrix(Alice) + " " + Reporter.WebForm("192.0.2.1", "reporter@example.org");

        Assert.DoesNotContain("alice", text, StringComparison.Ordinal);
        Assert.DoesNotContain("reporter@", text, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.1", text, StringComparison.Ordinal);
    }
}
