using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Relay.Synapse.Tests.Harness;

/// <summary>JSON over HTTP with JsonNode, for a test that reads what a server stored rather than a typed model of it.</summary>
public static class Http
{
    public static async Task<(int Status, JsonObject Body)> SendAsync(HttpClient http, HttpMethod method, Uri url, string? token,
        JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (body is not null || method == HttpMethod.Post || method == HttpMethod.Put)
        {
            request.Content = new StringContent((body ?? new JsonObject()).ToJsonString(), Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var parsed = text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonNode.Parse(text) as JsonObject : null;
        return ((int)response.StatusCode, parsed ?? new JsonObject { ["raw"] = text });
    }

    /// <summary>As <see cref="SendAsync"/>, failing with the server's answer unless it was 2xx.</summary>
    public static async Task<JsonObject> OkAsync(HttpClient http, HttpMethod method, Uri url, string? token, JsonNode? body = null)
    {
        var (status, answer) = await SendAsync(http, method, url, token, body);
        return status is >= 200 and < 300
            ? answer
            : throw new InvalidOperationException($"{method} {url.AbsolutePath} answered {status}: {answer.ToJsonString()}");
    }

    public static string Escape(string segment) => Uri.EscapeDataString(segment);
}
