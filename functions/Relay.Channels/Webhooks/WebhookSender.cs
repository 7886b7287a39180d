using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Relay.Core.Escalation;

namespace Relay.Channels.Webhooks;

/// <summary>
/// POSTs escalation JSON to a webhook. Headers: <c>X-Relay-Signature: sha256=&lt;hex HMAC-SHA256 of the body with the
/// configured secret&gt;</c>, <c>X-Relay-Timestamp</c> (Unix seconds, so a receiver can refuse stale replays),
/// <c>X-Relay-Delivery</c> (the same on every retry, so a receiver can drop repeats). Redirects are not followed; any
/// answer but 2xx is a failure, retried through the queue.
/// </summary>
public sealed class WebhookSender(HttpClient http, TimeProvider time) : IWebhookSender
{
    public const string SignatureHeader = "X-Relay-Signature";
    public const string TimestampHeader = "X-Relay-Timestamp";
    public const string DeliveryHeader = "X-Relay-Delivery";

    public async Task PostAsync(WebhookTarget target, string deliveryId, byte[] json, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(json) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(SignatureHeader, Sign(target.Secret, json));
        request.Headers.Add(TimestampHeader, time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(DeliveryHeader, deliveryId);
        var where = target.Url.GetLeftPart(UriPartial.Path);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new EscalationChannelException($"webhook {where} could not be reached ({e.GetType().Name})", e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new EscalationChannelException($"webhook {where} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
        }
    }

    /// <summary><c>sha256=</c> and the lower-case hex HMAC-SHA256 of <paramref name="body"/>.</summary>
    public static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), body));
}
