using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Relay.Host.Composition;
using Relay.Host.Configuration;
using Relay.Tests.Harness;

namespace Relay.Tests.Hosting;

/// <summary>Settings under Relay are checked at start: typos named, unreadable switches refused, the result logged without secrets.</summary>
public sealed class SettingsCheckTests
{
    [Fact]
    public async Task A_misspelt_setting_is_warned_about_by_name_with_the_nearest_known_one()
    {
        await using var relay = await RelayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:Dashbord:Enabled"] = "true",
            ["Relay:Reports:PerReporterPerMinut"] = "3",
        });

        var warnings = relay.Logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning).Select(r => r.Message).ToList();

        Assert.Contains(warnings, w => w.Contains("Unknown setting Relay__Dashbord__Enabled", StringComparison.Ordinal)
            && w.Contains("did you mean Relay__Dashboard__Enabled?", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("Relay__Reports__PerReporterPerMinut", StringComparison.Ordinal)
            && w.Contains("Relay__Reports__PerReporterPerMinute", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Known_settings_lists_and_tiers_raise_no_warning()
    {
        await using var relay = await RelayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:Reports:ProtectedRooms:0"] = "!room:example.org",
            ["Relay:Dashboard:Enabled"] = "false",
            ["Relay:Escalation:SupportCacheMinutes"] = "30",
            ["Relay:Telemetry:Console"] = "false",
        });

        Assert.DoesNotContain(relay.Logs.GetSnapshot(), r => r.Message.Contains("Unknown setting", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Relay:Dashboard:Enabled", "ture", "Relay__Dashboard__Enabled is 'ture': write true or false.")]
    [InlineData("Relay:Http:TrustForwardedFor", "yes", "Relay__Http__TrustForwardedFor is 'yes': write true or false.")]
    [InlineData("Relay:Telemetry:Console", "on", "Relay__Telemetry__Console is 'on': write true or false.")]
    [InlineData("Relay:Reports:PerRoomPerMinute", "ten", "Relay__Reports__PerRoomPerMinute is 'ten': write a whole number.")]
    public async Task A_typo_in_a_switch_or_number_fails_start_naming_the_setting(string key, string value, string message)
    {
        await using var app = RelayApp.Build(["--urls", "http://127.0.0.1:0",
            "--Relay:Homeserver:Url=https://matrix.example.org", "--Relay:Homeserver:ServerName=example.org",
            "--Relay:Appservice:AsToken=as", "--Relay:Appservice:HsToken=hs", $"--{key}={value}"]);

        var error = Assert.Throws<OptionsValidationException>(app.ValidateRelayOptions);

        Assert.Contains(message, error.Failures);
    }

    [Fact]
    public async Task The_settings_in_effect_are_logged_once_with_defaults_and_without_secrets()
    {
        await using var relay = await RelayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:Escalation:Hosting:WebhookUrl"] = "https://hooks.example.org/services/T000/B000/secretpath",
            ["Relay:Escalation:Hosting:WebhookSecret"] = "webhook-secret-value",
            ["Relay:Data:ReporterHashKey"] = "a-reporter-hash-key-long-enough",
        });

        var logged = Assert.Single(relay.Logs.GetSnapshot(), r => r.Message.StartsWith("Relay settings in effect", StringComparison.Ordinal)).Message;

        Assert.Contains("Relay__Reports__PerReporterPerMinute=10", logged, StringComparison.Ordinal);
        Assert.Contains("Relay__Dashboard__SessionHours=12", logged, StringComparison.Ordinal);
        Assert.Contains("Relay__Appservice__ReportReactionKey=🚩", logged, StringComparison.Ordinal);
        Assert.Contains("Relay__Appservice__AsToken=" + SettingsCheck.Redacted, logged, StringComparison.Ordinal);
        Assert.Contains("Relay__Escalation__Hosting__WebhookUrl=https://hooks.example.org/(redacted)", logged, StringComparison.Ordinal);
        foreach (var secret in new[] { relay.Homeserver.AsToken, relay.Homeserver.HsToken, "webhook-secret-value", "secretpath",
                     "a-reporter-hash-key-long-enough" })
        {
            Assert.DoesNotContain(secret, logged, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_options_section_has_its_keys_known()
    {
        foreach (var key in new[] { "Relay:Homeserver:Url", "Relay:Dashboard:Enabled", "Relay:Escalation:Tiers:3:Name",
                     "Relay:Reports:ProtectedRooms:12", "Relay:Smtp:Host", "Relay:Memory:IdleTrimSeconds", "Relay:Telemetry:Console" })
        {
            Assert.NotNull(SettingsSchema.Instance.TypeOf(key));
        }
        Assert.Null(SettingsSchema.Instance.TypeOf("Relay:Dashbord:Enabled"));
        Assert.Equal(typeof(bool), SettingsSchema.Instance.TypeOf("relay:dashboard:enabled"));
    }

    [Fact]
    public void Every_options_class_with_a_relay_section_is_in_the_schema()
    {
        var sections = typeof(RelayOptions).Assembly.GetReferencedAssemblies()
            .Where(a => a.Name?.StartsWith("Relay.", StringComparison.Ordinal) == true)
            .Select(System.Reflection.Assembly.Load)
            .Append(typeof(RelayOptions).Assembly)
            .SelectMany(a => a.GetTypes())
            .Where(t => t.GetField("Section", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
                ?.GetRawConstantValue() is string section && (section == "Relay" || section.StartsWith("Relay:", StringComparison.Ordinal)))
            .ToList();

        Assert.NotEmpty(sections);
        Assert.All(sections, type => Assert.Contains(SettingsSchema.Sections, s => s.Options == type));
    }
}
