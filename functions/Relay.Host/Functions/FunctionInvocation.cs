using System.Globalization;
using System.Text.Json;

namespace Relay.Host.Functions;

/// <summary>
/// The custom-handler invocation payload <c>{"Data":{"&lt;binding&gt;":…},"Metadata":{…}}</c>, read
/// tolerantly: the Functions host may pass a string trigger value as JSON text encoded once more (a JSON
/// string whose content is the JSON), or twice; an object may arrive parsed. All decode to the same text.
/// </summary>
public sealed record FunctionInvocation(string? Data, IReadOnlyDictionary<string, JsonElement> Metadata)
{
    /// <summary>How many times a value may have been wrapped in a JSON string.</summary>
    private const int MaxEncodings = 3;

    /// <summary>Null when the body is not a JSON object with a <c>Data</c> or <c>Metadata</c> object.</summary>
    public static FunctionInvocation? Parse(JsonDocument document)
    {
        var root = Unwrap(document.RootElement);
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var data = Property(root, "Data");
        var metadata = Property(root, "Metadata");
        if (data is null && metadata is null)
        {
            return null;
        }
        var values = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        if (metadata is { ValueKind: JsonValueKind.Object } meta)
        {
            foreach (var property in meta.EnumerateObject())
            {
                values[property.Name] = Unwrap(property.Value).Clone();
            }
        }
        return new FunctionInvocation(TriggerValue(data), values);
    }

    public string? MetadataString(string name) =>
        Metadata.TryGetValue(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    public int? MetadataInt(string name) =>
        Metadata.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : int.TryParse(MetadataString(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    /// <summary>The trigger's value: the one binding in <c>Data</c> (its name is the function's choice) as text.</summary>
    private static string? TriggerValue(JsonElement? data)
    {
        if (data is not { } element)
        {
            return null;
        }
        element = Unwrap(element);
        if (element.ValueKind == JsonValueKind.Object)
        {
            using var properties = element.EnumerateObject();
            if (!properties.MoveNext())
            {
                return null;
            }
            element = Unwrap(properties.Current.Value);
        }
        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => element.GetRawText(),
        };
    }

    /// <summary>A string holding JSON text of an object, array or string is replaced by what it holds, up to <see cref="MaxEncodings"/> times.</summary>
    private static JsonElement Unwrap(JsonElement element)
    {
        for (var i = 0; i < MaxEncodings && element.ValueKind == JsonValueKind.String; i++)
        {
            var text = element.GetString()!;
            var trimmed = text.AsSpan().TrimStart();
            if (trimmed.IsEmpty || trimmed[0] is not ('{' or '[' or '"'))
            {
                break;
            }
            try
            {
                using var inner = JsonDocument.Parse(text);
                element = inner.RootElement.Clone();
            }
            catch (JsonException)
            {
                break;
            }
        }
        return element;
    }

    private static JsonElement? Property(JsonElement obj, string name)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }
        return null;
    }
}
