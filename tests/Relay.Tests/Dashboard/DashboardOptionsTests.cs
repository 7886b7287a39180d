using Relay.Host.Configuration;
using Relay.Host.Dashboard;

namespace Relay.Tests.Dashboard;

/// <summary>The dashboard's settings fail start with a message naming the variable to set.</summary>
public sealed class DashboardOptionsTests
{
    private static RelayOptions Valid() => new()
    {
        Homeserver = new HomeserverOptions { Url = "https://matrix.example.org", ServerName = "example.org" },
        Appservice = new AppserviceOptions { AsToken = "as", HsToken = "hs" },
    };

    [Fact]
    public void Off_by_default_and_then_needs_nothing()
    {
        Assert.False(new DashboardOptions().Enabled);
        Assert.True(new RelayOptionsValidator().Validate(null, Valid()).Succeeded);
    }

    [Theory]
    [InlineData(null, "Relay__Dashboard__PublicBaseUrl is not set")]
    [InlineData("relay.example.org", "Relay__Dashboard__PublicBaseUrl must be an absolute http(s) URL")]
    [InlineData("ftp://relay.example.org", "Relay__Dashboard__PublicBaseUrl must be an absolute http(s) URL")]
    [InlineData("https://relay.example.org/?x=1", "Relay__Dashboard__PublicBaseUrl must be an absolute http(s) URL")]
    public void Enabled_without_a_good_public_base_url_fails_naming_the_variable(string? url, string message)
    {
        var options = Valid();
        options.Dashboard = new DashboardOptions { Enabled = true, PublicBaseUrl = url };

        var failure = Assert.Single(new RelayOptionsValidator().Validate(null, options).Failures!);

        Assert.StartsWith(message, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SignInLinkMinutes")]
    [InlineData("SessionHours")]
    [InlineData("SignInPerAddressPerMinute")]
    [InlineData("SignInPerUserPerHour")]
    public void Limits_out_of_range_fail_naming_the_variable(string what)
    {
        var options = Valid();
        options.Dashboard = new DashboardOptions { Enabled = true, PublicBaseUrl = "https://relay.example.org" };
        switch (what)
        {
            case "SignInLinkMinutes": options.Dashboard.SignInLinkMinutes = 0; break;
            case "SessionHours": options.Dashboard.SessionHours = 1000; break;
            case "SignInPerAddressPerMinute": options.Dashboard.SignInPerAddressPerMinute = 0; break;
            default: options.Dashboard.SignInPerUserPerHour = 0; break;
        }

        var failure = Assert.Single(new RelayOptionsValidator().Validate(null, options).Failures!);

        Assert.StartsWith("Relay__Dashboard__" + what, failure, StringComparison.Ordinal);
    }
}
