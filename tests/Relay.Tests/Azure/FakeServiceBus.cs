using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Relay.Azure.ServiceBus;

namespace Relay.Tests.Azure;

/// <summary>
/// A Service Bus namespace on loopback HTTPS (a throwaway self-signed certificate: bearer tokens are
/// never sent over plain HTTP) that records each request and answers from a script of status codes,
/// 201 once the script runs out, as the "Send Message" REST operation documents.
/// </summary>
public sealed class FakeServiceBus : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> _script = new();

    private FakeServiceBus(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        _certificate = certificate;
    }

    public ConcurrentQueue<RecordedSend> Requests { get; } = new();

    public Uri Endpoint => new(_app.Urls.First() + "/");

    public static async Task<FakeServiceBus> StartAsync()
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var bus = new FakeServiceBus(app, certificate);
        app.Run(bus.HandleAsync);
        await app.StartAsync();
        return bus;
    }

    /// <summary>The next requests are answered with these statuses, in order.</summary>
    public void Answer(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _script.Enqueue((status, status == 429 ? "0" : null));
        }
    }

    /// <summary>A sender whose pipeline trusts this server's certificate and retries without real waiting.</summary>
    public ServiceBusCaseQueue Sender(TokenCredential credential, int maxRetries = 3)
    {
        var options = new ServiceBusQueueOptions
        {
            Transport = new HttpClientTransport(new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, presented, _, _) =>
                        presented is not null && presented.GetCertHashString() == _certificate.GetCertHashString(),
                },
            }),
        };
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        return new ServiceBusCaseQueue(Endpoint, credential, options);
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        Requests.Enqueue(new RecordedSend(context.Request.Method, context.Request.Path.Value ?? "",
            context.Request.Headers.Authorization.ToString(), context.Request.ContentType,
            context.Request.Headers["BrokerProperties"].ToString(), body));
        var (status, retryAfter) = _script.TryDequeue(out var next) ? next : (201, null);
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }
        context.Response.StatusCode = status;
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _certificate.Dispose();
    }
}

public sealed record RecordedSend(string Method, string Path, string Authorization, string? ContentType, string BrokerProperties, string Body);

/// <summary>A credential that hands out a fixed token and records the scopes asked for.</summary>
public sealed class StaticTokenCredential(string token) : TokenCredential
{
    public ConcurrentQueue<string> Scopes { get; } = new();

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        foreach (var scope in requestContext.Scopes)
        {
            Scopes.Enqueue(scope);
        }
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
