using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Relay.Tests.Harness;

public static class MatrixAssert
{
    /// <summary>Asserts status and errcode of a Matrix error response; returns the body.</summary>
    public static async Task<JsonObject> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string errcode)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status} {errcode}, got {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(errcode, (string?)body["errcode"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)body["error"]));
        return body;
    }

    public static async Task<JsonObject> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {text}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
