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

/// <summary>Every wire type the host writes, source-generated (no reflection on hot paths).</summary>
[JsonSerializable(typeof(MatrixErrorBody))]
[JsonSerializable(typeof(EmptyObject))]
[JsonSerializable(typeof(SafetyReportResponse))]
[JsonSerializable(typeof(HealthResponse))]
public sealed partial class HostJsonContext : JsonSerializerContext;
