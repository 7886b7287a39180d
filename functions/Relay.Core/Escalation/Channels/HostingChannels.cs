namespace Relay.Core.Escalation.Channels;

/// <summary>The hosting provider's abuse desk by mail (<c>Relay__Escalation__Hosting__AbuseEmail</c>).</summary>
public sealed class HostingEmailChannel(IMailSender mail, EscalationSettings settings, TimeProvider time) : IEscalationChannel
{
    public string Kind => ChannelKinds.HostingEmail;

    public async Task<ChannelOutcome> DeliverAsync(EscalationDelivery delivery, CancellationToken cancellationToken)
    {
        if (settings.HostingAbuseEmail is not { } to)
        {
            return new ChannelOutcome.Skipped("no hosting abuse address configured (Relay__Escalation__Hosting__AbuseEmail)");
        }
        if (!mail.IsConfigured)
        {
            return new ChannelOutcome.Skipped("no SMTP server configured (Relay__Smtp__Host)");
        }
        var notice = EscalationNotice.For(delivery, settings.Community, time.GetUtcNow());
        await mail.SendAsync(new OutgoingMail(to, notice.Subject, notice.Text(), delivery.Id), cancellationToken);
        return new ChannelOutcome.Delivered("mail to " + to);
    }
}

/// <summary>A signed webhook: the hosting provider's (<c>hosting_webhook</c>) or the authorities' (<c>authorities_webhook</c>).</summary>
public sealed class WebhookChannel(string kind, Func<EscalationSettings, WebhookTarget?> target, string setting,
    IWebhookSender sender, EscalationSettings settings, TimeProvider time) : IEscalationChannel
{
    public static WebhookChannel Hosting(IWebhookSender sender, EscalationSettings settings, TimeProvider time) =>
        new(ChannelKinds.HostingWebhook, s => s.HostingWebhook, "Relay__Escalation__Hosting__WebhookUrl", sender, settings, time);

    public static WebhookChannel Authorities(IWebhookSender sender, EscalationSettings settings, TimeProvider time) =>
        new(ChannelKinds.AuthoritiesWebhook, s => s.AuthoritiesWebhook, "Relay__Escalation__Authorities__WebhookUrl", sender, settings, time);

    public string Kind => kind;

    public async Task<ChannelOutcome> DeliverAsync(EscalationDelivery delivery, CancellationToken cancellationToken)
    {
        if (target(settings) is not { } webhook)
        {
            return new ChannelOutcome.Skipped($"no webhook configured ({setting})");
        }
        var notice = EscalationNotice.For(delivery, settings.Community, time.GetUtcNow());
        await sender.PostAsync(webhook, delivery.Id, notice.ToJsonBytes(), cancellationToken);
        return new ChannelOutcome.Delivered($"webhook {webhook.Url.GetLeftPart(UriPartial.Path)}");
    }
}
