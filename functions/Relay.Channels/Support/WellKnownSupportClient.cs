using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Relay.Core.Escalation;
using Relay.Core.Identifiers;

namespace Relay.Channels.Support;

/// <summary>How <see cref="WellKnownSupportClient"/> reaches other servers (<c>Relay__Escalation__Support*</c>).</summary>
public sealed record SupportLookupSettings(string Scheme, TimeSpan CacheFor, int MaxBytes = WellKnownSupportClient.DefaultMaxBytes);

/// <summary>
/// Reads <c>{scheme}://{server name}/.well-known/matrix/support</c> (spec 1.10). The answer is bounded (64 KiB, the
/// HttpClient's timeout), redirects are followed only on the same host (three at most), and results are cached: a usable
/// or unusable answer for <see cref="SupportLookupSettings.CacheFor"/>; a timeout or 5xx is thrown (retried) and not cached.
/// </summary>
public sealed class WellKnownSupportClient(HttpClient http, SupportLookupSettings settings, TimeProvider time) : ISupportContacts
{
    public const int DefaultMaxBytes = 64 * 1024;
    private const int MaxRedirects = 3;

    private readonly ConcurrentDictionary<string, (SupportLookup Answer, DateTimeOffset Until)> _cache = new(StringComparer.OrdinalIgnoreCase);

    public async Task<SupportLookup> LookupAsync(string serverName, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(serverName, out var cached) && cached.Until > now)
        {
            return cached.Answer;
        }
        if (!IdentifierGrammar.IsServerName(serverName))
        {
            return new SupportLookup.Unusable($"'{serverName}' is not a server name");
        }
        var answer = await FetchAsync(new Uri($"{settings.Scheme}://{serverName}/.well-known/matrix/support"), cancellationToken);
        _cache[serverName] = (answer, now + settings.CacheFor);
        return answer;
    }

    private async Task<SupportLookup> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        var host = url.Authority;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("application/json");
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new EscalationChannelException($"{url.GetLeftPart(UriPartial.Path)} could not be read ({e.GetType().Name})", e);
            }
            using (response)
            {
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(url, location);
                    if (!string.Equals(next.Authority, host, StringComparison.OrdinalIgnoreCase) || next.Scheme != url.Scheme)
                    {
                        return new SupportLookup.Unusable($"redirected to another host ({next.Scheme}://{next.Authority})");
                    }
                    if (hop >= MaxRedirects)
                    {
                        return new SupportLookup.Unusable("too many redirects");
                    }
                    url = next;
                    continue;
                }
                if (status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    throw new EscalationChannelException($"{url.GetLeftPart(UriPartial.Path)} answered {status}");
                }
                if (!response.IsSuccessStatusCode)
                {
                    return new SupportLookup.Unusable($"answered {status}");
                }
                if (response.Content.Headers.ContentLength > settings.MaxBytes)
                {
                    return new SupportLookup.Unusable($"the answer is larger than {settings.MaxBytes / 1024} KiB");
                }
                var body = await ReadBoundedAsync(response.Content, cancellationToken);
                return body is null ? new SupportLookup.Unusable($"the answer is larger than {settings.MaxBytes / 1024} KiB") : Parse(body);
            }
        }
    }

    private async Task<byte[]?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > settings.MaxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Contacts with a role and a valid Matrix ID or a plausible e-mail address; anything else is malformed.</summary>
    public static SupportLookup Parse(byte[] body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            return new SupportLookup.Unusable("malformed: not JSON");
        }
        if (root is not JsonObject obj)
        {
            return new SupportLookup.Unusable("malformed: not a JSON object");
        }
        if (obj["contacts"] is not JsonArray array)
        {
            return new SupportLookup.Unusable(obj["support_page"] is null ? "malformed: neither contacts nor support_page" : "only a support page, no contacts");
        }
        var contacts = new List<SupportContact>();
        foreach (var item in array)
        {
            if (item is not JsonObject contact || Str(contact, "role") is not { Length: > 0 } role)
            {
                continue;
            }
            var matrixId = UserId.TryParse(Str(contact, "matrix_id"), out var user) ? user.Value : null;
            var email = Str(contact, "email_address") is { } address && IsEmail(address) ? address.Trim() : null;
            if (matrixId is not null || email is not null)
            {
                contacts.Add(new SupportContact(role, matrixId, email));
            }
        }
        return contacts.Count > 0 ? new SupportLookup.Found(contacts) : new SupportLookup.Unusable("malformed: no contact with a valid matrix_id or email_address");
    }

    private static bool IsEmail(string value)
    {
        var v = value.Trim();
        var at = v.LastIndexOf('@');
        return v.Length <= 254 && at > 0 && at < v.Length - 1 && !v.Any(char.IsWhiteSpace) && !v.Any(char.IsControl)
            && v.IndexOfAny(['<', '>', ',', ';', '"']) < 0 && v[(at + 1)..].Contains('.', StringComparison.Ordinal);
    }

    private static string? Str(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
}
