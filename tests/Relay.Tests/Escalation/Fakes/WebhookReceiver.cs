using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Relay.Tests.Escalation.Fakes;

/// <summary>
/// A webhook endpoint as a receiver would write one: it recomputes the HMAC-SHA256 of the raw body with the shared secret
/// and compares it, in constant time, with <c>X-Relay-Signature</c>; a bad or missing signature gets 401.
/// <see cref="FailNext"/> answers the next requests with 500.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private LoopbackHttp? _http;
    private int _fail;

    public const string Secret = "a-webhook-secret-of-some-length";

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public int Refused;

    public Uri Url => new(_http!.BaseUrl, "hooks/relay");

    public void FailNext(int times) => Interlocked.Exchange(ref _fail, times);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        receiver._http = await LoopbackHttp.StartAsync(receiver.HandleAsync);
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body));
        var given = context.Request.Headers["X-Relay-Signature"].ToString();
        if (context.Request.Method != "POST" || context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given))
            || !long.TryParse(context.Request.Headers["X-Relay-Timestamp"], out _))
        {
            Interlocked.Increment(ref Refused);
            context.Response.StatusCode = 401;
            return;
        }
        if (Interlocked.Decrement(ref _fail) >= 0)
        {
            context.Response.StatusCode = 500;
            return;
        }
        Received.Enqueue(new ReceivedWebhook(context.Request.Headers["X-Relay-Delivery"].ToString(), JsonNode.Parse(body)!.AsObject(),
            Encoding.UTF8.GetString(body)));
        context.Response.StatusCode = 204;
    }

    public async ValueTask DisposeAsync()
    {
        if (_http is not null)
        {
            await _http.DisposeAsync();
        }
    }
}

public sealed record ReceivedWebhook(string DeliveryId, JsonObject Json, string Raw);
