using System.Buffers;
using System.Text.Json;
using Relay.Core.Errors;

namespace Relay.Host.Http;

/// <summary>
/// Reads a request body as one JSON object, bounded in size and depth, or says precisely why not.
/// Parsing by hand (not model binding) is what lets each wrong field get its own Matrix error.
/// </summary>
public static class JsonBody
{
    public const int MaxDepth = 32;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth };

    public static async Task<(JsonDocument? Document, MatrixError? Error)> ReadObjectAsync(
        HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, 16 * 1024));
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        return (null, TooLarge(maxBytes));
                    }
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }
                length += read;
                if (length > maxBytes)
                {
                    return (null, TooLarge(maxBytes));
                }
            }
            return Parse(buffer.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static (JsonDocument?, MatrixError?) Parse(ReadOnlyMemory<byte> bytes)
    {
        // JsonDocument only checks UTF-8 inside strings when they are read; Matrix requires it throughout.
        if (!System.Text.Unicode.Utf8.IsValid(bytes.Span))
        {
            return (null, MatrixError.NotJson("The request body is not valid UTF-8."));
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, Options);
        }
        catch (JsonException)
        {
            return (null, MatrixError.NotJson("The request body is not valid JSON."));
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, MatrixError.NotJson("The request body must be a JSON object."));
        }
        return (document, null);
    }

    private static MatrixError TooLarge(int maxBytes) =>
        MatrixError.TooLarge($"The request body is larger than {maxBytes / 1024} KiB.");

    /// <summary>An optional string field: absent or null gives null; any other type is M_BAD_JSON.</summary>
    public static bool TryGetOptionalString(JsonElement obj, string name, out string? value, out MatrixError? error)
    {
        value = null;
        error = null;
        if (!obj.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        if (property.ValueKind != JsonValueKind.String)
        {
            error = MatrixError.BadJson($"'{name}' must be a string.");
            return false;
        }
        value = property.GetString();
        return true;
    }

    public static bool TryGetRequiredString(JsonElement obj, string name, out string value, out MatrixError? error)
    {
        value = "";
        if (!TryGetOptionalString(obj, name, out var optional, out error))
        {
            return false;
        }
        if (optional is null)
        {
            error = MatrixError.BadJson($"'{name}' is required.");
            return false;
        }
        value = optional;
        return true;
    }
}
