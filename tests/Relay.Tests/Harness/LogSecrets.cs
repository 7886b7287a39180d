using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Testing;

namespace Relay.Tests.Harness;

/// <summary>
/// What must never reach Relay's logs, gathered from what a test sent Relay: access tokens (header or
/// <c>?access_token=</c>), the as/hs tokens, report reasons and descriptions, contact e-mails, and reporter IDs.
/// <see cref="RelayHarness"/> checks every log record against it when a test ends, so every harness-based test is
/// also a log-privacy test.
/// </summary>
public sealed class LogSecrets
{
    /// <summary>Shorter values ("spam", "x") would match ordinary log text; they are not checked.</summary>
    public const int MinLength = 6;

    private static long s_recordsChecked;
    private static long s_leaksFound;

    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);

    /// <summary>Log records checked by every harness in this process so far.</summary>
    public static long RecordsChecked => Interlocked.Read(ref s_recordsChecked);

    /// <summary>Secrets found in log records by every harness in this process so far.</summary>
    public static long LeaksFound => Interlocked.Read(ref s_leaksFound);

    public int Count => _secrets.Count;

    public void Add(string kind, string? value)
    {
        if (value is { Length: >= MinLength })
        {
            _secrets.TryAdd(value, kind);
        }
    }

    /// <summary>The token, and the reason, description and contact of a report body (JSON or form).</summary>
    public void AddRequest(HttpRequestMessage request, string? body, string? contentType)
    {
        if (request.Headers.Authorization is { Parameter: { } token })
        {
            Add("access token", token);
        }
        var query = request.RequestUri?.Query ?? "";
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = Split(pair);
            if (name == "access_token")
            {
                Add("access token", value);
            }
        }
        if (string.IsNullOrEmpty(body) || body.Length > 64 * 1024)
        {
            return;
        }
        if (contentType?.Contains("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var (name, value) = Split(pair);
                if (name is "description" or "contact")
                {
                    Add(name == "contact" ? "contact e-mail" : "report reason", value.Trim());
                }
            }
            return;
        }
        try
        {
            if (JsonNode.Parse(body) is JsonObject json)
            {
                foreach (var field in (string[])["reason", "description"])
                {
                    if (json[field] is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        Add("report reason", text);
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a bad-input test): nothing Relay could have taken as a reason.
        }
    }

    /// <summary>Each log record (message, exception, structured values) that holds a secret, described without the secret.</summary>
    public IReadOnlyList<string> FindIn(IReadOnlyList<FakeLogRecord> records)
    {
        var found = new List<string>();
        foreach (var record in records)
        {
            var text = string.Join('\n', [record.Message, record.Exception?.ToString() ?? "",
                .. record.StructuredState?.Select(s => s.Value ?? "") ?? []]);
            foreach (var (secret, kind) in _secrets)
            {
                if (text.Contains(secret, StringComparison.Ordinal))
                {
                    found.Add($"a {kind} in a {record.Level} log of {record.Category}: \"{Redact(record.Message)}\"");
                }
            }
        }
        Interlocked.Add(ref s_recordsChecked, records.Count);
        Interlocked.Add(ref s_leaksFound, found.Count);
        return found;
    }

    private string Redact(string text)
    {
        foreach (var (secret, kind) in _secrets)
        {
            text = text.Replace(secret, "<" + kind + ">", StringComparison.Ordinal);
        }
        return text;
    }

    private static (string Name, string Value) Split(string pair)
    {
        var eq = pair.IndexOf('=', StringComparison.Ordinal);
        var name = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
        var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
        return (name, value);
    }
}

/// <summary>Feeds every request the test sends Relay to <see cref="LogSecrets"/> before it leaves.</summary>
internal sealed class SecretRecordingHandler(LogSecrets secrets) : DelegatingHandler(new HttpClientHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? body = null;
        if (request.Content is { } content && content.Headers.ContentLength is null or <= 64 * 1024)
        {
            await content.LoadIntoBufferAsync(cancellationToken);
            body = await content.ReadAsStringAsync(cancellationToken);
        }
        secrets.AddRequest(request, body, request.Content?.Headers.ContentType?.MediaType);
        return await base.SendAsync(request, cancellationToken);
    }
}
