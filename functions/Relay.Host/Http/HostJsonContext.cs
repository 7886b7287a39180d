using System.Text.Json.Serialization;

namespace Relay.Host.Http;

public sealed record MatrixErrorBody(
    [property: JsonPropertyName("errcode")] string ErrCode,
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("retry_after_ms"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? RetryAfterMs);

public sealed record EmptyObject;

public sealed record SafetyReportResponse([property: JsonPropertyName("report_id")] string ReportId);

public sealed record HealthResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("store")] string Store,
    [property: JsonPropertyName("queue")] string Queue);

/// <summary>
/// The host's serializer context. Relaxed escaping: these bodies are JSON read by Matrix clients and
/// operators, never inlined into HTML, so an apostrophe need not become \u0027.
/// </summary>
public static class HostJson
{
    public static HostJsonContext Context { get; } = new(new System.Text.Json.JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}

/// <summary>Every wire type the host writes, source-generated (no reflection on hot paths).</summary>
[JsonSerializable(typeof(MatrixErrorBody))]
[JsonSerializable(typeof(EmptyObject))]
[JsonSerializable(typeof(SafetyReportResponse))]
[JsonSerializable(typeof(HealthResponse))]
public sealed partial class HostJsonContext : JsonSerializerContext;
