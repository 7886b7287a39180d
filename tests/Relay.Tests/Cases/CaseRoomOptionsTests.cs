using Microsoft.Extensions.Options;
using Relay.Host.Configuration;
using Relay.Tests.Harness;

namespace Relay.Tests.Cases;

public sealed class CaseRoomOptionsTests
{
    private static RelayOptions Valid() => new()
    {
        Homeserver = new HomeserverOptions { Url = "https://matrix.example.org", ServerName = "example.org" },
        Appservice = new AppserviceOptions { AsToken = "as", HsToken = "hs" },
    };

    [Fact]
    public void Community_moderators_and_rooms_are_optional_and_valid_ones_pass()
    {
        var options = Valid();
        options.Community.Moderators = ["@admin:example.org", " @other:example.org "];
        options.Community.ModeratorsRoom = "!mods:example.org";
        options.Moderation.PolicyRoom = "!policy:example.org";

        Assert.True(new RelayOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(new RelayOptionsValidator().Validate(null, Valid()).Succeeded);
    }

    [Fact]
    public void Bad_case_room_settings_fail_start_naming_the_setting()
    {
        var options = Valid();
        options.Community.Moderators = ["@admin:example.org", "admin"];
        options.Community.ModeratorsRoom = "#mods:example.org";
        options.Moderation.PolicyRoom = "policy";

        var result = new RelayOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Relay__Community__Moderators__1", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Relay__Community__ModeratorsRoom", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Relay__Moderation__PolicyRoom", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Relay_refuses_to_start_with_a_bad_community_moderator()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            RelayHarness.StartAsync(new Dictionary<string, string?> { ["Relay:Community:Moderators:0"] = "not-a-user" }));

        Assert.Contains("Relay__Community__Moderators__0", error.Message);
    }
}
