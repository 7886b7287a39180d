using Microsoft.Extensions.Options;
using Relay.Host.Composition;
using Relay.Host.Configuration;

namespace Relay.Tests.Hosting;

public sealed class ConfigurationTests
{
    private static RelayOptions Valid() => new()
    {
        Homeserver = new HomeserverOptions { Url = "https://matrix.example.org", ServerName = "example.org" },
        Appservice = new AppserviceOptions { AsToken = "as", HsToken = "hs" },
    };

    [Fact]
    public void Valid_configuration_passes()
    {
        Assert.True(new RelayOptionsValidator().Validate(null, Valid()).Succeeded);
    }

    [Fact]
    public void Missing_settings_are_each_named_by_their_environment_variable()
    {
        var result = new RelayOptionsValidator().Validate(null, new RelayOptions());

        Assert.True(result.Failed);
        foreach (var name in new[] { "Relay__Homeserver__Url", "Relay__Homeserver__ServerName", "Relay__Appservice__AsToken", "Relay__Appservice__HsToken" })
        {
            Assert.Contains(result.Failures!, f => f.StartsWith(name, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("Url", "ftp://x")]
    [InlineData("Url", "not a url")]
    [InlineData("ServerName", "bad server")]
    [InlineData("Localpart", "has space")]
    [InlineData("HashKey", "short")]
    [InlineData("PerReporter", "0")]
    [InlineData("ProtectedRoom", "#alias:example.org")]
    [InlineData("MaxDelivery", "0")]
    [InlineData("WebFormPerAddress", "0")]
    public void Bad_values_fail_with_a_message(string what, string value)
    {
        var options = Valid();
        switch (what)
        {
            case "Url": options.Homeserver.Url = value; break;
            case "ServerName": options.Homeserver.ServerName = value; break;
            case "Localpart": options.Appservice.SenderLocalpart = value; break;
            case "HashKey": options.Data.ReporterHashKey = value; break;
            case "PerReporter": options.Reports.PerReporterPerMinute = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "ProtectedRoom": options.Reports.ProtectedRooms.Add(value); break;
            case "WebFormPerAddress": options.Reports.WebFormPerAddressPerMinute = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            default: options.Queue.MaxDeliveryCount = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
        }

        var result = new RelayOptionsValidator().Validate(null, options);

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Relay__", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_with_missing_configuration_throws_before_anything_listens()
    {
        await using var app = RelayApp.Build(["--urls", "http://127.0.0.1:0"]);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.InitializeRelayAsync());
        Assert.Contains(error.Failures, f => f.Contains("Relay__Homeserver__Url", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("7123", null, "http://127.0.0.1:7123")]
    [InlineData("7123", "http://0.0.0.0:80", "http://127.0.0.1:7123")]
    [InlineData(null, null, "http://127.0.0.1:7071")]
    [InlineData("", "", "http://127.0.0.1:7071")]
    [InlineData(null, "http://127.0.0.1:9000", null)]
    public void Listen_address_prefers_the_functions_port_then_urls_then_7071(string? port, string? urls, string? expected)
    {
        Assert.Equal(expected, ListenAddress.Choose(port, urls));
    }

    [Fact]
    public void Invalid_functions_port_is_refused_with_its_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ListenAddress.Choose("http", null));
        Assert.Contains("FUNCTIONS_CUSTOMHANDLER_PORT", error.Message, StringComparison.Ordinal);
    }
}
