using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Relay.Reliability.Scenarios;

/// <summary>One request of the bad-input corpus: what to send, and the status and Matrix errcode the spec calls for.</summary>
public sealed record Probe(string Group, string Name, HttpMethod Method, string Path, byte[]? Body, string? ContentType,
    string? Token, int Status, string? ErrCode)
{
    /// <summary>Expected to succeed without storing anything (e.g. the web form's honeypot, a health check).</summary>
    public bool IsRejection => Status >= 400;

    public HttpRequestMessage ToRequest()
    {
        var request = new HttpRequestMessage(Method, Path);
        if (Body is not null)
        {
            var content = new ByteArrayContent(Body);
            content.Headers.ContentType = ContentType is null ? null : MediaTypeHeaderValue.Parse(ContentType);
            request.Content = content;
            // A server may answer 413 before reading a huge body; with 100-continue the client waits for that answer
            // instead of writing into a closed connection.
            request.Headers.ExpectContinue = Body.Length > 64 * 1024;
        }
        if (Token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", Token.Contains(' ', StringComparison.Ordinal) ? Token : "Bearer " + Token);
        }
        return request;
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}

/// <summary>What came back, judged against the probe.</summary>
public sealed record ProbeOutcome(int Status, string? ErrCode, bool IsMatrixError, IReadOnlyList<string> StateChanges)
{
    public static async Task<(int Status, string? ErrCode, bool IsMatrixError)> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("errcode", out var errcode) && errcode.ValueKind == JsonValueKind.String
                && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                var isLimit = errcode.GetString() != "M_LIMIT_EXCEEDED"
                    || (json.RootElement.TryGetProperty("retry_after_ms", out var retry) && retry.ValueKind == JsonValueKind.Number);
                return ((int)response.StatusCode, errcode.GetString(), isLimit);
            }
        }
        catch (JsonException)
        {
            // Not JSON: an HTML page (web form) or nothing.
        }
        return ((int)response.StatusCode, null, false);
    }
}
