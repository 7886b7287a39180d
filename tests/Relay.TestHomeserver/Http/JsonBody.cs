using System.Text.Json;
using System.Text.Json.Nodes;

namespace Relay.TestHomeserver.Http;

/// <summary>Schema checks for request bodies; each failure is a 400 M_BAD_JSON spec violation.</summary>
internal static class JsonBody
{
    public static JsonObject ParseObject(byte[] body)
    {
        if (body.Length == 0)
        {
            throw MatrixException.NotJson("Request body is empty; this endpoint needs a JSON object");
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw MatrixException.NotJson($"Content not JSON: {e.Message}");
        }

        return node as JsonObject ?? throw MatrixException.BadJson("Request body must be a JSON object");
    }

    public static string RequiredString(this JsonObject body, string name) =>
        body.OptionalString(name) ?? throw MatrixException.BadJson($"'{name}' is required");

    public static string? OptionalString(this JsonObject body, string name) =>
        Get(body, name, JsonValueKind.String, "a string") is { } node ? (string)node! : null;

    public static bool? OptionalBool(this JsonObject body, string name)
    {
        if (!body.TryGetPropertyValue(name, out var node))
        {
            return null;
        }

        return node?.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw MatrixException.BadJson($"'{name}' must be a boolean"),
        };
    }

    public static long? OptionalInteger(this JsonObject body, string name) =>
        Get(body, name, JsonValueKind.Number, "an integer") is JsonValue value
            ? value.TryGetValue<long>(out var n) ? n : throw MatrixException.BadJson($"'{name}' must be an integer")
            : null;

    public static JsonObject? OptionalObject(this JsonObject body, string name) =>
        Get(body, name, JsonValueKind.Object, "an object") as JsonObject;

    public static JsonArray? OptionalArray(this JsonObject body, string name) =>
        Get(body, name, JsonValueKind.Array, "an array") as JsonArray;

    public static IReadOnlyList<string> OptionalStringArray(this JsonObject body, string name)
    {
        var array = body.OptionalArray(name);
        if (array is null)
        {
            return [];
        }

        return [.. array.Select(item => item?.GetValueKind() == JsonValueKind.String
            ? (string)item!
            : throw MatrixException.BadJson($"'{name}' must be an array of strings"))];
    }

    public static string? OptionalEnum(this JsonObject body, string name, params string[] allowed)
    {
        var value = body.OptionalString(name);
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            throw MatrixException.BadJson($"'{name}' must be one of {string.Join(", ", allowed)}");
        }

        return value;
    }

    private static JsonNode? Get(JsonObject body, string name, JsonValueKind kind, string description)
    {
        if (!body.TryGetPropertyValue(name, out var node))
        {
            return null;
        }

        if (node is null || node.GetValueKind() != kind)
        {
            throw MatrixException.BadJson($"'{name}' must be {description}");
        }

        return node;
    }
}
