using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Relay.Tests.Escalation.Fakes;

/// <summary>
/// Just enough SMTP (RFC 5321) for MailKit on 127.0.0.1: greeting, EHLO/HELO, MAIL FROM, RCPT TO, DATA (dot-unstuffed),
/// RSET, NOOP, QUIT; AUTH PLAIN (RFC 4954) when built with credentials, STARTTLS (RFC 3207) with a self-signed
/// certificate when asked, and a silent mode that accepts connections and never greets. Accepted mails are recorded;
/// <see cref="RejectRecipients"/> answers the next RCPTs with a 451.
/// </summary>
public sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly SmtpBehaviour _behaviour;
    private int _rejectRecipients;

    public FakeSmtpServer(SmtpBehaviour? behaviour = null)
    {
        _behaviour = behaviour ?? new SmtpBehaviour();
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>AUTH attempts seen, with whether they matched the credentials.</summary>
    public ConcurrentQueue<bool> Logins { get; } = new();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<ReceivedMail> Mails { get; } = new();

    /// <summary>The next <paramref name="times"/> RCPT TO commands get "451 4.3.0 try again later".</summary>
    public void RejectRecipients(int times) => Interlocked.Exchange(ref _rejectRecipients, times);

    public IDictionary<string, string?> Settings(string from = "relay@community.test") => new Dictionary<string, string?>
    {
        ["Relay:Smtp:Host"] = "127.0.0.1",
        ["Relay:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Relay:Smtp:Tls"] = "None",
        ["Relay:Smtp:From"] = from,
    };

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            if (_behaviour.Silent)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 fake.smtp.test ESMTP ready");
            if (await ConverseAsync(reader, writer) is { } tls)
            {
                await using (tls)
                {
                    using var tlsReader = new StreamReader(tls, Encoding.ASCII);
                    await using var tlsWriter = new StreamWriter(tls, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                    await ConverseAsync(tlsReader, tlsWriter);
                }
            }
        }
    }

    /// <summary>Serves commands until QUIT or EOF; returns the TLS stream when the client asked for STARTTLS.</summary>
    private async Task<SslStream?> ConverseAsync(StreamReader reader, StreamWriter writer)
    {
        string? from = null;
        var to = new List<string>();
        var authenticated = _behaviour.Username is null;
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-fake.smtp.test");
                    if (_behaviour.OfferStartTls)
                    {
                        await writer.WriteLineAsync("250-STARTTLS");
                    }
                    if (_behaviour.Username is not null)
                    {
                        await writer.WriteLineAsync("250-AUTH PLAIN");
                    }
                    await writer.WriteLineAsync("250 8BITMIME");
                    break;
                case "STARTTLS":
                    await writer.WriteLineAsync("220 go ahead");
                    return await StartTlsAsync(writer.BaseStream);
                case "AUTH":
                    authenticated = Authenticate(line);
                    await writer.WriteLineAsync(authenticated ? "235 2.7.0 accepted" : "535 5.7.8 credentials invalid");
                    break;
                case "HELO":
                case "NOOP":
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "RSET":
                    from = null;
                    to.Clear();
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "MAIL" when !authenticated:
                    await writer.WriteLineAsync("530 5.7.0 authentication required");
                    break;
                case "MAIL":
                    from = Address(line);
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "RCPT":
                    if (Interlocked.Decrement(ref _rejectRecipients) >= 0)
                    {
                        await writer.WriteLineAsync("451 4.3.0 try again later");
                        break;
                    }
                    to.Add(Address(line));
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                    {
                        data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                    }
                    Mails.Enqueue(new ReceivedMail(from ?? "", [.. to], data.ToString()));
                    from = null;
                    to.Clear();
                    await writer.WriteLineAsync("250 OK queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 bye");
                    return null;
                default:
                    await writer.WriteLineAsync("502 command not implemented");
                    break;
            }
        }
        return null;
    }

    private bool Authenticate(string line)
    {
        var parts = line.Split(' ');
        var ok = false;
        if (parts.Length == 3 && parts[1].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            // PLAIN is "authzid NUL authcid NUL password", base64 (RFC 4616).
            var fields = Encoding.UTF8.GetString(Convert.FromBase64String(parts[2])).Split('\0');
            ok = fields.Length == 3 && fields[1] == _behaviour.Username && fields[2] == _behaviour.Password;
        }
        Logins.Enqueue(ok);
        return ok;
    }

    private static async Task<SslStream?> StartTlsAsync(Stream stream)
    {
        var tls = new SslStream(stream, leaveInnerStreamOpen: true);
        try
        {
            using var certificate = SelfSignedCertificate();
            await tls.AuthenticateAsServerAsync(certificate);
            return tls;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            // The client refused the certificate, as it should for a self-signed one.
            await tls.DisposeAsync();
            return null;
        }
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=fake.smtp.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    private static string Address(string line)
    {
        var open = line.IndexOf('<', StringComparison.Ordinal);
        var close = line.IndexOf('>', StringComparison.Ordinal);
        return open >= 0 && close > open ? line[(open + 1)..close] : line;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}

public sealed record ReceivedMail(string From, IReadOnlyList<string> To, string Data);

/// <summary>How the fake server behaves: credentials it demands (null: none), whether it offers STARTTLS, or stays silent.</summary>
public sealed record SmtpBehaviour(string? Username = null, string? Password = null, bool OfferStartTls = false, bool Silent = false);
