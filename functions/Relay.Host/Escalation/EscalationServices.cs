using Microsoft.Extensions.Options;
using Relay.Channels.CyberTipline;
using Relay.Channels.Smtp;
using Relay.Channels.Support;
using Relay.Channels.Webhooks;
using Relay.Core.Appservice;
using Relay.Core.Escalation;
using Relay.Core.Escalation.Channels;
using Relay.Core.Identifiers;
using Relay.Core.Memory;
using Relay.Core.Queue;
using Relay.Core.Sweep;
using Relay.Host.Configuration;

namespace Relay.Host.Escalation;

/// <summary>
/// The escalation ladder: the policy from configuration, the Escalator, the <c>case.due</c> and <c>escalation.deliver</c>
/// handlers, one channel per kind with its adapter (SMTP, webhooks, <c>.well-known/matrix/support</c>, CyberTipline),
/// The store ports (<see cref="IEscalationStore"/>, <see cref="IEvidenceStore"/>) and <see cref="OverdueCaseSweep"/> come from the
/// runtime; <see cref="EvidenceRetentionSweep"/> from <c>RetentionServices</c>.
/// </summary>
public static class EscalationServices
{
    public static IServiceCollection AddEscalation(this IServiceCollection services)
    {
        services.AddOptions<EscalationOptions>().BindConfiguration(EscalationOptions.Section).ValidateOnStart();
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section);
        services.AddOptions<CyberTiplineOptions>().BindConfiguration(CyberTiplineOptions.Section);
        services.AddOptions<CommunityAdminsOptions>().BindConfiguration(CommunityAdminsOptions.Section);
        services.AddSingleton<IValidateOptions<EscalationOptions>, EscalationOptionsValidator>();

        services.AddSingleton(sp => EscalationPolicyLoader.LoadOrThrow(sp.GetRequiredService<IOptions<EscalationOptions>>().Value));
        services.AddSingleton(sp => Settings(sp));
        services.AddSingleton<Escalator>();
        services.AddSingleton<IQueueHandler, CaseDueHandler>();
        services.AddSingleton<IQueueHandler, DeliverEscalation>();
        services.AddSingleton<SweepRunner>();
        // Both runtimes: a lost or dead-lettered deadline (embedded queue or Service Bus) must not stall a case.
        services.AddSingleton<ISweepPart, OverdueCaseSweep>();

        services.AddSingleton<DirectMessages>();
        services.AddSingleton<IEscalationChannel, CaseRoomNoticeChannel>();
        services.AddSingleton<IEscalationChannel, CommunityAdminsChannel>();
        services.AddSingleton<IEscalationChannel, HomeserverAdminsChannel>();
        services.AddSingleton<IEscalationChannel, HostingEmailChannel>();
        services.AddSingleton<IEscalationChannel>(sp => WebhookChannel.Hosting(sp.GetRequiredService<IWebhookSender>(),
            sp.GetRequiredService<EscalationSettings>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IEscalationChannel>(sp => WebhookChannel.Authorities(sp.GetRequiredService<IWebhookSender>(),
            sp.GetRequiredService<EscalationSettings>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IEscalationChannel, EvidenceChannel>();
        services.AddSingleton<IEscalationChannel, CyberTiplineChannel>();

        services.AddSingleton<IMailSender>(sp =>
        {
            var smtp = sp.GetRequiredService<IOptions<SmtpOptions>>().Value;
            EscalationOptionsValidator.TryTls(smtp.Tls, out var tls);
            return new SmtpMailSender(new SmtpSettings(smtp.Host?.Trim(), smtp.Port, tls, smtp.Username, smtp.Password,
                smtp.From ?? "relay@relay.invalid", TimeSpan.FromSeconds(smtp.TimeoutSeconds)), sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EscalationOptions>>().Value;
            return new SupportLookupSettings(options.SupportScheme, TimeSpan.FromMinutes(options.SupportCacheMinutes),
                Timeout: TimeSpan.FromSeconds(options.SupportTimeoutSeconds), CacheServers: sp.GetRequiredService<CacheLimits>().SupportServers);
        });
        services.AddSingleton(sp =>
        {
            var t = sp.GetRequiredService<IOptions<CyberTiplineOptions>>().Value;
            return new CyberTiplineSettings(new Uri(t.Url), t.Username, t.Password, t.ReporterFirstName, t.ReporterLastName, t.ReporterEmail);
        });
        // Redirects are never followed by the handler: the webhook must answer itself, and support lookups
        // follow same-host redirects by hand.
        // Named clients and factories, not typed clients: see AddRelayCore's homeserver client for why.
        services.AddHttpClient(nameof(IWebhookSender), Timeout).ConfigurePrimaryHttpMessageHandler(NoRedirects);
        services.AddTransient<IWebhookSender>(sp => new WebhookSender(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(IWebhookSender)), sp.GetRequiredService<TimeProvider>()));
        services.AddHttpClient(nameof(ICyberTipline), Timeout).ConfigurePrimaryHttpMessageHandler(NoRedirects);
        services.AddTransient<ICyberTipline>(sp => new CyberTiplineClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(ICyberTipline)), sp.GetRequiredService<CyberTiplineSettings>()));
        // Typed clients are transient; the support cache must outlive a delivery.
        services.AddSingleton<ISupportContacts>(sp => new WellKnownSupportClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(ISupportContacts)),
            sp.GetRequiredService<SupportLookupSettings>(), sp.GetRequiredService<TimeProvider>()));
        // The reporter picks the server (any user ID can be reported): connect only to public addresses, and to the one checked.
        // Tests that serve support files on 127.0.0.1 register OutboundAddressPolicy.AllowingLoopback after this.
        services.AddSingleton(OutboundAddressPolicy.PublicOnly);
        services.AddHttpClient(nameof(ISupportContacts), (sp, http) =>
                http.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<EscalationOptions>>().Value.SupportTimeoutSeconds))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundAddressPolicy>().Handler(
                TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<EscalationOptions>>().Value.SupportTimeoutSeconds)));
        return services;
    }

    private static void Timeout(IServiceProvider sp, HttpClient http) =>
        http.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<EscalationOptions>>().Value.HttpTimeoutSeconds);

    private static HttpMessageHandler NoRedirects() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false };

    private static EscalationSettings Settings(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<EscalationOptions>>().Value;
        var relay = sp.GetRequiredService<IOptions<RelayOptions>>().Value;
        var admins = sp.GetRequiredService<IOptions<CommunityAdminsOptions>>().Value.Admins;
        return new EscalationSettings(
            string.IsNullOrWhiteSpace(options.Community) ? relay.Homeserver.ServerName ?? "unknown" : options.Community.Trim(),
            [.. admins.Select(a => UserId.Parse(a.Trim())).Distinct()],
            string.IsNullOrWhiteSpace(options.Hosting.AbuseEmail) ? null : options.Hosting.AbuseEmail.Trim(),
            Target(options.Hosting),
            Target(options.Authorities),
            TimeSpan.FromDays(options.EvidenceRetentionDays));
    }

    private static WebhookTarget? Target(WebhookOptions webhook) =>
        string.IsNullOrWhiteSpace(webhook.WebhookUrl) ? null : new WebhookTarget(new Uri(webhook.WebhookUrl.Trim()), webhook.WebhookSecret ?? "");
}
