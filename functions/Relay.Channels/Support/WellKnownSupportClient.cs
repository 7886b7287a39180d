using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Relay.Core.Escalation;
using Relay.Core.Identifiers;

namespace Relay.Channels.Support;

/// <summary>How <see cref="WellKnownSupportClient"/> reaches other servers (<c>Relay__Escalation__Support*</c>).</summary>
/// <param name="Timeout">The whole lookup, redirects and body included: a server that trickles its answer is cut off too.</param>
/// <param name="CacheServers">The most servers whose answer is remembered (<c>Relay__Memory__SupportCacheServers</c>).</param>
public sealed record SupportLookupSettings(string Scheme, TimeSpan CacheFor, int MaxBytes = WellKnownSupportClient.DefaultMaxBytes,
    TimeSpan? Timeout = null, int CacheServers = WellKnownSupportClient.MaxCached)
{
    public TimeSpan Deadline => Timeout ?? TimeSpan.FromSeconds(10);
}

/// <summary>
/// Reads <c>{scheme}://{server name}/.well-known/matrix/support</c> (spec 1.10). The server name comes from a reported
/// user's ID, which a reporter chooses: IP-literal names are refused, and the HttpClient must connect only to public
/// addresses (<see cref="OutboundAddressPolicy.Handler"/>; a refused address is an unusable answer). The answer is bounded
/// (64 KiB, <see cref="SupportLookupSettings.Deadline"/> for the whole lookup), redirects are followed only on the same host
/// (three at most), and results are cached, at most <see cref="MaxCached"/> servers: a usable or unusable answer for
/// <see cref="SupportLookupSettings.CacheFor"/>; a timeout or 5xx is thrown (retried) and not cached.
/// </summary>
public sealed class WellKnownSupportClient(HttpClient http, SupportLookupSettings settings, TimeProvider time) : ISupportContacts
{
    public const int DefaultMaxBytes = 64 * 1024;
    private const int MaxRedirects = 3;

    /// <summary>Servers remembered at once by default; past the cap, expired answers go first, then the soonest to expire.</summary>
    public const int MaxCached = 1024;

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
        var answer = IsIpLiteral(serverName)
            ? new SupportLookup.Unusable($"'{serverName}' is an IP address, not a name; support contacts are not looked up there")
            : await FetchWithinDeadlineAsync(new Uri($"{settings.Scheme}://{serverName}/.well-known/matrix/support"), cancellationToken);
        Remember(serverName, answer, now);
        return answer;
    }

    /// <summary>Servers with a cached answer now; never more than <see cref="MaxCached"/>.</summary>
    public int CachedCount => _cache.Count;

    private static bool IsIpLiteral(string serverName)
    {
        var host = serverName.StartsWith('[') ? serverName[1..serverName.IndexOf(']', StringComparison.Ordinal)]
            : serverName.Split(':')[0];
        return IPAddress.TryParse(host, out _);
    }

    private void Remember(string serverName, SupportLookup answer, DateTimeOffset now)
    {
        if (_cache.Count >= settings.CacheServers && !_cache.ContainsKey(serverName))
        {
            foreach (var (name, entry) in _cache)
            {
                if (entry.Until <= now)
                {
                    _cache.TryRemove(name, out _);
                }
            }
            while (_cache.Count >= settings.CacheServers && _cache.MinBy(e => e.Value.Until) is { Key: { } soonest })
            {
                _cache.TryRemove(soonest, out _);
            }
        }
        _cache[serverName] = (answer, now + settings.CacheFor);
    }

    private async Task<SupportLookup> FetchWithinDeadlineAsync(Uri url, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Deadline);
        try
        {
            return await FetchAsync(url, deadline.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EscalationChannelException(
                $"{url.GetLeftPart(UriPartial.Path)} did not answer within {settings.Deadline.TotalSeconds:0.#} s", e);
        }
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
            catch (HttpRequestException e) when (Refusal(e) is { } refused)
            {
                return new SupportLookup.Unusable($"{url.Host} {refused.Message}; support contacts are only looked up on public addresses");
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

    private static RefusedAddressException? Refusal(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is RefusedAddressException refused)
            {
                return refused;
            }
        }
        return null;
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
