using MailKit.Security;
using Microsoft.Extensions.Options;
using Relay.Core.Escalation;
using Relay.Core.Identifiers;

namespace Relay.Host.Escalation;

/// <summary>Start-time checks of the escalation, SMTP and CyberTipline settings; each message names the setting.</summary>
public sealed class EscalationOptionsValidator(IOptions<SmtpOptions> smtp, IOptions<CyberTiplineOptions> tipline,
    IOptions<CommunityAdminsOptions> community) : IValidateOptions<EscalationOptions>
{
    public ValidateOptionsResult Validate(string? name, EscalationOptions options)
    {
        var failures = new List<string>();
        EscalationPolicyLoader.Load(options, failures);
        if (options.SupportScheme is not ("https" or "http"))
        {
            failures.Add($"Relay__Escalation__SupportScheme must be https (or http for loopback tests); got '{options.SupportScheme}'.");
        }
        Range(options.SupportTimeoutSeconds, 1, 120, "Relay__Escalation__SupportTimeoutSeconds", 10, failures);
        Range(options.SupportCacheMinutes, 0, 10080, "Relay__Escalation__SupportCacheMinutes", 60, failures);
        Range(options.EvidenceRetentionDays, 1, 3650, "Relay__Escalation__EvidenceRetentionDays", 365, failures);
        Range(options.SweepIntervalSeconds, 5, 3600, "Relay__Escalation__SweepIntervalSeconds", 60, failures);
        Range(options.HttpTimeoutSeconds, 1, 300, "Relay__Escalation__HttpTimeoutSeconds", 30, failures);
        Webhook(options.Hosting, "Relay__Escalation__Hosting", failures);
        Webhook(options.Authorities, "Relay__Escalation__Authorities", failures);
        var mail = smtp.Value;
        if (options.Hosting.AbuseEmail is { } abuse)
        {
            if (!LooksLikeAddress(abuse))
            {
                failures.Add($"Relay__Escalation__Hosting__AbuseEmail is '{abuse}', which is not an e-mail address.");
            }
            if (string.IsNullOrWhiteSpace(mail.Host))
            {
                failures.Add("Relay__Escalation__Hosting__AbuseEmail is set but Relay__Smtp__Host is not: there is no way to send the mail.");
            }
        }
        ValidateSmtp(mail, failures);
        ValidateCyberTipline(tipline.Value, failures);
        for (var i = 0; i < community.Value.Admins.Count; i++)
        {
            if (!UserId.TryParse(community.Value.Admins[i]?.Trim(), out _))
            {
                failures.Add($"Relay__Community__Admins__{i} is '{community.Value.Admins[i]}', which is not a Matrix user ID (@localpart:server).");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static bool TryTls(string value, out SecureSocketOptions tls) => Enum.TryParse(value, ignoreCase: true, out tls) && Enum.IsDefined(tls);

    private static void ValidateSmtp(SmtpOptions smtp, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(smtp.From) || !LooksLikeAddress(smtp.From))
        {
            failures.Add("Relay__Smtp__From must be the sender address (e.g. relay@example.org) when Relay__Smtp__Host is set.");
        }
        Range(smtp.Port, 1, 65535, "Relay__Smtp__Port", 587, failures);
        Range(smtp.TimeoutSeconds, 1, 300, "Relay__Smtp__TimeoutSeconds", 30, failures);
        if (!TryTls(smtp.Tls, out _))
        {
            failures.Add($"Relay__Smtp__Tls must be StartTls, SslOnConnect, StartTlsWhenAvailable, Auto or None; got '{smtp.Tls}'.");
        }
        if (!string.IsNullOrEmpty(smtp.Username) && string.IsNullOrEmpty(smtp.Password))
        {
            failures.Add("Relay__Smtp__Username is set but Relay__Smtp__Password is not.");
        }
    }

    private static void ValidateCyberTipline(CyberTiplineOptions tipline, List<string> failures)
    {
        if (!HttpsOrLoopback(tipline.Url))
        {
            failures.Add($"Relay__CyberTipline__Url must be an https URL (http only on loopback); got '{tipline.Url}'.");
        }
        if (string.IsNullOrEmpty(tipline.Username) != string.IsNullOrEmpty(tipline.Password))
        {
            failures.Add("Relay__CyberTipline__Username and Relay__CyberTipline__Password must be set together.");
        }
        if (!string.IsNullOrEmpty(tipline.Username) && (string.IsNullOrWhiteSpace(tipline.ReporterEmail) || !LooksLikeAddress(tipline.ReporterEmail)))
        {
            failures.Add("Relay__CyberTipline__ReporterEmail must be the address NCMEC may contact about reports when the CyberTipline is configured.");
        }
    }

    private static void Webhook(WebhookOptions webhook, string prefix, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(webhook.WebhookUrl))
        {
            if (!string.IsNullOrEmpty(webhook.WebhookSecret))
            {
                failures.Add($"{prefix}__WebhookSecret is set but {prefix}__WebhookUrl is not.");
            }
            return;
        }
        if (!HttpsOrLoopback(webhook.WebhookUrl))
        {
            failures.Add($"{prefix}__WebhookUrl must be an https URL (http only on loopback); got '{webhook.WebhookUrl}'.");
        }
        if (webhook.WebhookSecret is not { Length: >= 16 })
        {
            failures.Add($"{prefix}__WebhookSecret must be set (at least 16 characters) to sign what is sent to {prefix}__WebhookUrl.");
        }
    }

    public static bool HttpsOrLoopback(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));

    private static bool LooksLikeAddress(string value) => MimeKit.MailboxAddress.TryParse(value, out var address) && address.Address.Contains('@', StringComparison.Ordinal);

    private static void Range(int value, int min, int max, string setting, int fallback, List<string> failures)
    {
        if (value < min || value > max)
        {
            failures.Add($"{setting} must be between {min} and {max} (default {fallback}); got {value}.");
        }
    }
}

/// <summary>Builds the policy from <see cref="EscalationOptions"/>: the file, the configured tiers, or the built-in ladder.</summary>
public static class EscalationPolicyLoader
{
    public static EscalationPolicy? Load(EscalationOptions options, List<string> errors)
    {
        var hasFile = !string.IsNullOrWhiteSpace(options.PolicyFile);
        if (hasFile && options.Tiers.Count > 0)
        {
            errors.Add("Set either Relay__Escalation__PolicyFile or Relay__Escalation__Tiers__*, not both.");
            return null;
        }
        if (hasFile)
        {
            var source = $"Relay__Escalation__PolicyFile ({options.PolicyFile})";
            if (!File.Exists(options.PolicyFile))
            {
                errors.Add($"{source}: no such file (relative paths start at {Directory.GetCurrentDirectory()}).");
                return null;
            }
            return PolicyDefinition.Parse(File.ReadAllText(options.PolicyFile!), source, errors)?.TryBuild(source, errors);
        }
        if (options.Tiers.Count > 0)
        {
            var definition = new PolicyDefinition([.. options.Tiers.Select(t => new TierDefinition(t.Name, t.Channels, t.Deadline,
                new TriggerDefinition(t.Triggers.Categories, t.Triggers.DistinctReporters, t.Triggers.ModeratorCommand)))]);
            return definition.TryBuild("Relay__Escalation__Tiers", errors);
        }
        return EscalationPolicy.Default;
    }

    public static EscalationPolicy LoadOrThrow(EscalationOptions options)
    {
        var errors = new List<string>();
        return Load(options, errors) is { } policy && errors.Count == 0
            ? policy
            : throw new OptionsValidationException(EscalationOptions.Section, typeof(EscalationOptions), errors);
    }
}
