using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Relay.Core.Identifiers;
using Relay.Host.Appservice;
using Relay.Host.Cli;
using Relay.Matrix.Bot;
using Relay.Tests.Harness;
using YamlDotNet.RepresentationModel;

namespace Relay.Tests.Appservice;

public sealed class RegistrationAndPingTests
{
    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static string Scalar(YamlMappingNode map, string key) => ((YamlScalarNode)map[key]).Value!;

    [Fact]
    public void Registration_yaml_parses_and_has_every_required_field()
    {
        Assert.True(RegistrationCommand.TryCreate("https://relay.example.org/", "example.org", "relay", "relay", out var r, out _));

        var root = Parse(r.Yaml);

        Assert.Equal("relay", Scalar(root, "id"));
        Assert.Equal("https://relay.example.org", Scalar(root, "url"));
        Assert.Equal(r.AsToken, Scalar(root, "as_token"));
        Assert.Equal(r.HsToken, Scalar(root, "hs_token"));
        Assert.Equal("relay", Scalar(root, "sender_localpart"));
        Assert.Equal("false", Scalar(root, "rate_limited"));
        var namespaces = (YamlMappingNode)root["namespaces"];
        var users = (YamlMappingNode)((YamlSequenceNode)namespaces["users"]).Single();
        var aliases = (YamlMappingNode)((YamlSequenceNode)namespaces["aliases"]).Single();
        Assert.Equal("true", Scalar(users, "exclusive"));
        Assert.Equal("true", Scalar(aliases, "exclusive"));
        Assert.Matches($"^(?:{Scalar(users, "regex")})$", "@relay:example.org");
        Assert.DoesNotMatch($"^(?:{Scalar(users, "regex")})$", "@relayer:example.org");
        Assert.DoesNotMatch($"^(?:{Scalar(users, "regex")})$", "@relay:exampleXorg");
        Assert.Matches($"^(?:{Scalar(aliases, "regex")})$", "#relay-case-01jabc:example.org");
        Assert.Empty((YamlSequenceNode)namespaces["rooms"]);
    }

    [Fact]
    public void Registration_alias_namespace_follows_the_sender_localpart_of_the_case_and_incident_rooms()
    {
        RegistrationCommand.TryCreate("https://r.example", "example.org", "relay", "modbot", out var r, out _);
        var namespaces = (YamlMappingNode)Parse(r.Yaml)["namespaces"];
        var aliases = Scalar((YamlMappingNode)((YamlSequenceNode)namespaces["aliases"]).Single(), "regex");
        var caseAlias = "#" + Relay.Core.Cases.Rooms.OpenCase.AliasLocalpart(
            UserId.Parse("@modbot:example.org"), Relay.Core.Cases.CaseId.Parse("01JABCDEFGHJKMNPQRSTVWXYZ0")) + ":example.org";

        var incidentAlias = "#" + Relay.Core.Cases.Rooms.IncidentRooms.AliasLocalpart(UserId.Parse("@modbot:example.org"),
            RoomId.Parse("!raided:example.org"), new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero)) + ":example.org";

        Assert.Matches($"^(?:{aliases})$", caseAlias);
        Assert.Matches($"^(?:{aliases})$", incidentAlias);
        Assert.DoesNotMatch($"^(?:{aliases})$", "#modbot-other-01jabc:example.org");
        Assert.DoesNotMatch($"^(?:{aliases})$", "#relay-case-01jabc:example.org");
    }

    [Fact]
    public void Registration_tokens_are_fresh_and_at_least_32_random_bytes()
    {
        RegistrationCommand.TryCreate("https://r.example", "example.org", "relay", "relay", out var a, out _);
        RegistrationCommand.TryCreate("https://r.example", "example.org", "relay", "relay", out var b, out _);

        Assert.NotEqual(a.AsToken, b.AsToken);
        Assert.NotEqual(a.AsToken, a.HsToken);
        Assert.True(a.AsToken.Length >= 43 && a.HsToken.Length >= 43);
        Assert.Matches("^[A-Za-z0-9_-]+$", a.AsToken);
    }

    [Fact]
    public void Registration_settings_match_the_yaml()
    {
        RegistrationCommand.TryCreate("https://r.example", "example.org", "myrelay", "bot", out var r, out _);

        Assert.Contains($"export Relay__Appservice__AsToken='{r.AsToken}'", r.Settings, StringComparison.Ordinal);
        Assert.Contains($"export Relay__Appservice__HsToken='{r.HsToken}'", r.Settings, StringComparison.Ordinal);
        Assert.Contains("export Relay__Appservice__Id='myrelay'", r.Settings, StringComparison.Ordinal);
        Assert.Contains("export Relay__Appservice__SenderLocalpart='bot'", r.Settings, StringComparison.Ordinal);
        Assert.Equal("bot", Scalar(Parse(r.Yaml), "sender_localpart"));
    }

    [Theory]
    [InlineData("relay.example.org", "example.org", "relay", "relay", "--url")]
    [InlineData("https://r.example", "not a server", "relay", "relay", "--server-name")]
    [InlineData("https://r.example", "example.org", "", "relay", "--id")]
    [InlineData("https://r.example", "example.org", "relay", "Bad Name", "--sender-localpart")]
    public void Registration_refuses_bad_arguments_naming_the_option(string url, string server, string id, string localpart, string option)
    {
        Assert.False(RegistrationCommand.TryCreate(url, server, id, localpart, out _, out var error));
        Assert.Contains(option, error, StringComparison.Ordinal);
    }

    private static MatrixBot Bot(RelayHarness relay, string? appserviceId = null) =>
        new(new HttpClient { BaseAddress = relay.Homeserver.BaseUrl },
            new MatrixBotOptions(relay.Homeserver.AsToken, UserId.Parse(relay.Homeserver.SenderUserId), appserviceId ?? relay.Homeserver.AppserviceId),
            new InstantTimeProvider());

    [Fact]
    public async Task Ping_reports_the_round_trip_when_the_registration_is_right()
    {
        await using var relay = await RelayHarness.StartAsync();
        relay.ConnectAppservice();

        var (code, message) = await PingCommand.RunAsync(Bot(relay), "relay", default);

        Assert.Equal(0, code);
        Assert.Contains(" ms", message, StringComparison.Ordinal);
        Assert.Empty(relay.Homeserver.Violations);
    }

    [Fact]
    public async Task Ping_without_a_registered_url_says_to_set_it()
    {
        await using var relay = await RelayHarness.StartAsync();

        var (code, message) = await PingCommand.RunAsync(Bot(relay), "relay", default);

        Assert.Equal(1, code);
        Assert.Contains("set 'url'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_with_a_mismatched_hs_token_points_at_the_token()
    {
        await using var relay = await RelayHarness.StartAsync(new Dictionary<string, string?> { ["Relay:Appservice:HsToken"] = "something-else" });
        relay.ConnectAppservice();

        var (code, message) = await PingCommand.RunAsync(Bot(relay), "relay", default);

        Assert.Equal(1, code);
        Assert.Contains("hs_token", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_to_an_unreachable_url_explains_the_connection_failure()
    {
        await using var relay = await RelayHarness.StartAsync();
        relay.Homeserver.AppserviceUrl = new Uri("http://127.0.0.1:1/");

        var (code, message) = await PingCommand.RunAsync(Bot(relay), "relay", default);

        Assert.Equal(1, code);
        Assert.Contains("could not connect", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_under_the_wrong_appservice_id_names_the_setting()
    {
        await using var relay = await RelayHarness.StartAsync();
        relay.ConnectAppservice();

        var (code, message) = await PingCommand.RunAsync(Bot(relay, "other"), "other", default);

        Assert.Equal(1, code);
        Assert.Contains("Relay__Appservice__Id", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("M_CONNECTION_TIMEOUT", "timed out")]
    [InlineData("M_UNKNOWN_TOKEN", "app_service_config_files")]
    [InlineData("M_BAD_STATUS", "hs_token")]
    public void Each_spec_error_is_explained_for_an_operator(string errcode, string hint)
    {
        var text = PingCommand.Explain(new Core.Errors.MatrixError(502, errcode, "x"), "relay");

        Assert.Contains(hint, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_pings_the_homeserver_once_at_start_and_logs_the_outcome()
    {
        await using var relay = await RelayHarness.StartAsync();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!relay.Logs.GetSnapshot().Any(l => l.Message.Contains("Appservice ping", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Contains(relay.Logs.GetSnapshot(), l => l.Message.Contains("set 'url'", StringComparison.Ordinal));
        Assert.Single(relay.Homeserver.Requests, r => r.Path.EndsWith("/ping", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_start_up_ping_waits_a_second_so_the_first_requests_have_the_cores()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var relay = await RelayHarness.StartAsync(new Dictionary<string, string?>(),
            services => services.AddSingleton<TimeProvider>(time));

        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.DoesNotContain(relay.Homeserver.Requests, r => r.Path.EndsWith("/ping", StringComparison.Ordinal));
        time.Advance(StartupPing.Delay);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!relay.Homeserver.Requests.Any(r => r.Path.EndsWith("/ping", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Single(relay.Homeserver.Requests, r => r.Path.EndsWith("/ping", StringComparison.Ordinal));
    }
}
