using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Relay.Core.Escalation;
using Relay.Host.Escalation;
using Relay.Tests.Harness;

namespace Relay.Tests.Escalation;

public sealed class EscalationOptionsTests
{
    private static ValidateOptionsResult Validate(EscalationOptions options, SmtpOptions? smtp = null, CyberTiplineOptions? tipline = null,
        CommunityAdminsOptions? community = null) =>
        new EscalationOptionsValidator(Options.Create(smtp ?? new SmtpOptions()), Options.Create(tipline ?? new CyberTiplineOptions()),
            Options.Create(community ?? new CommunityAdminsOptions())).Validate(null, options);

    [Fact]
    public void The_defaults_are_valid_and_use_the_built_in_ladder()
    {
        Assert.True(Validate(new EscalationOptions()).Succeeded);
        Assert.Same(EscalationPolicy.Default, EscalationPolicyLoader.LoadOrThrow(new EscalationOptions()));
    }

    [Fact]
    public void Every_bad_setting_is_named()
    {
        var options = new EscalationOptions
        {
            SupportScheme = "ftp",
            EvidenceRetentionDays = 0,
            Hosting = new HostingEscalationOptions { AbuseEmail = "abuse at hosting", WebhookUrl = "http://hosting.example/hook", WebhookSecret = "short" },
            Authorities = new WebhookOptions { WebhookSecret = "a-secret-without-url" },
            Tiers = [new TierOptions { Name = "mods", Deadline = "half an hour" }],
        };
        var smtp = new SmtpOptions { Host = "smtp.example.org", Tls = "Sometimes", Username = "relay" };
        var tipline = new CyberTiplineOptions { Url = "http://report.cybertip.org/ispws", Username = "esp" };

        var result = Validate(options, smtp, tipline, new CommunityAdminsOptions { Admins = ["admin"] });

        foreach (var setting in new[]
        {
            "Relay__Escalation__SupportScheme", "Relay__Escalation__EvidenceRetentionDays", "Relay__Escalation__Hosting__AbuseEmail",
            "Relay__Escalation__Hosting__WebhookUrl", "Relay__Escalation__Hosting__WebhookSecret", "Relay__Escalation__Authorities__WebhookSecret",
            "Relay__Escalation__Tiers tier 1: Deadline 'half an hour'", "Relay__Smtp__From", "Relay__Smtp__Tls", "Relay__Smtp__Username",
            "Relay__CyberTipline__Url", "Relay__CyberTipline__Username", "Relay__CyberTipline__ReporterEmail", "Relay__Community__Admins__0",
        })
        {
            Assert.Contains(result.Failures!, f => f.StartsWith(setting, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Relay_refuses_to_start_with_a_bad_tier_deadline()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RelayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:Escalation:Tiers:0:Name"] = "moderators",
            ["Relay:Escalation:Tiers:0:Deadline"] = "P1X",
        }));

        Assert.Contains("Relay__Escalation__Tiers tier 1: Deadline 'P1X' is not an ISO-8601 duration", error.Message);
    }

    [Fact]
    public async Task A_policy_file_replaces_the_built_in_ladder()
    {
        var file = Path.Combine(Path.GetTempPath(), $"relay-policy-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            {"tiers": [
              {"name": "moderators", "deadline": "PT30M"},
              {"name": "police", "channels": ["evidence", "authorities_webhook"], "triggers": {"categories": ["m.child_safety"]}}
            ]}
            """);
        try
        {
            await using var relay = await RelayHarness.StartAsync(new Dictionary<string, string?> { ["Relay:Escalation:PolicyFile"] = file });

            var policy = relay.App.Services.GetRequiredService<EscalationPolicy>();

            Assert.Equal(["moderators", "police"], policy.Tiers.Select(t => t.Name));
            Assert.Equal(TimeSpan.FromMinutes(30), policy.Tiers[0].Deadline);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_missing_policy_file_fails_start_naming_it()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            RelayHarness.StartAsync(new Dictionary<string, string?> { ["Relay:Escalation:PolicyFile"] = "/nonexistent/policy.json" }));

        Assert.Contains("Relay__Escalation__PolicyFile (/nonexistent/policy.json): no such file", error.Message);
    }
}
