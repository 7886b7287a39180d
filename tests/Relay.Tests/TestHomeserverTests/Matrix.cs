using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Relay.Tests.TestHomeserverTests;

/// <summary>Small raw-HTTP helpers so the self-tests see exactly what goes over the wire.</summary>
internal static class Matrix
{
    public static HttpClient Client(this Relay.TestHomeserver.TestHomeserver hs, string? token = null)
    {
        var client = new HttpClient { BaseAddress = hs.BaseUrl };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    public static StringContent Json(string raw) => new(raw, Encoding.UTF8, "application/json");

    public static async Task<(int Status, JsonObject Body)> SendAsync(this HttpClient client, HttpMethod method, string path, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = Json(body);
        }

        using var response = await client.SendAsync(request);
        return await ReadAsync(response);
    }

    public static Task<(int Status, JsonObject Body)> GetJsonAsync(this HttpClient client, string path) =>
        client.SendAsync(HttpMethod.Get, path);

    public static Task<(int Status, JsonObject Body)> PostJsonAsync(this HttpClient client, string path, JsonObject body) =>
        client.SendAsync(HttpMethod.Post, path, body);

    public static Task<(int Status, JsonObject Body)> PutJsonAsync(this HttpClient client, string path, JsonObject body) =>
        client.SendAsync(HttpMethod.Put, path, body);

    public static async Task<(int Status, JsonObject Body)> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    public static string E(string id) => Uri.EscapeDataString(id);

    public static string? Errcode(this JsonObject body) => (string?)body["errcode"];
}
