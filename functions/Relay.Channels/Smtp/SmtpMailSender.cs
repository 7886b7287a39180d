using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Relay.Core.Escalation;

namespace Relay.Channels.Smtp;

/// <summary>Where and how mail is sent (<c>Relay__Smtp__*</c>). No <see cref="Host"/>: mail is not configured.</summary>
public sealed record SmtpSettings(
    string? Host,
    int Port,
    SecureSocketOptions Tls,
    string? Username,
    string? Password,
    string From,
    TimeSpan Timeout);

/// <summary>
/// Sends plain-text mail over SMTP with MailKit: one connection per mail (escalations are rare), TLS as configured,
/// credentials if given, a deterministic Message-Id per <see cref="OutgoingMail.MessageKey"/> so a resent mail can be
/// recognised. Failures become <see cref="EscalationChannelException"/>s that name the SMTP status, never the credentials.
/// </summary>
public sealed class SmtpMailSender(SmtpSettings settings, TimeProvider time) : IMailSender
{
    public bool IsConfigured => !string.IsNullOrWhiteSpace(settings.Host);

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        if (!IsConfigured)
        {
            throw new EscalationChannelException("no SMTP server configured (Relay__Smtp__Host)");
        }
        var message = Build(mail);
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        var where = $"{settings.Host}:{settings.Port}";
        try
        {
            await client.ConnectAsync(settings.Host!, settings.Port, settings.Tls, cancellationToken);
            if (!string.IsNullOrEmpty(settings.Username))
            {
                await client.AuthenticateAsync(settings.Username, settings.Password ?? "", cancellationToken);
            }
            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (SmtpCommandException e)
        {
            throw new EscalationChannelException($"SMTP server {where} refused {e.ErrorCode}: {(int)e.StatusCode} {e.StatusCode}", e);
        }
        catch (NotSupportedException e)
        {
            // MailKit refuses to go on in clear when the server lacks STARTTLS and the settings demand it.
            throw new EscalationChannelException($"SMTP server {where} does not offer STARTTLS, which Relay__Smtp__Tls requires", e);
        }
        catch (MailKit.Security.AuthenticationException e)
        {
            throw new EscalationChannelException($"SMTP server {where} refused the credentials (Relay__Smtp__Username)", e);
        }
        catch (Exception e) when (e is SmtpProtocolException or IOException or SocketException or SslHandshakeException
            or System.Security.Authentication.AuthenticationException or TimeoutException or ServiceNotConnectedException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new EscalationChannelException($"SMTP server {where} could not be reached or broke off ({e.GetType().Name})", e);
        }
    }

    public MimeMessage Build(OutgoingMail mail)
    {
        var from = MailboxAddress.Parse(settings.From);
        var message = new MimeMessage
        {
            Subject = mail.Subject,
            Date = time.GetUtcNow(),
            Body = new TextPart("plain") { Text = mail.Body },
        };
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(mail.To));
        var domain = from.Domain is { Length: > 0 } d ? d : "relay.invalid";
        message.MessageId = $"relay.{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(mail.MessageKey)))[..32]}@{domain}";
        message.Headers.Add("Auto-Submitted", "auto-generated");
        return message;
    }
}
