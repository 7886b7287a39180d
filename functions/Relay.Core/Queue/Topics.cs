using System.Text.Json;
using System.Text.Json.Serialization;

namespace Relay.Core.Queue;

public static class Topics
{
    /// <summary>A report was stored; its case room is opened or its summary updated.</summary>
    public const string ReportReceived = "report.received";

    /// <summary>A case deadline fell due (or the sweep found it overdue): checked against the stored case, then the next tier.</summary>
    public const string CaseDue = "case.due";

    /// <summary>One channel of one tier of one case: delivered, retried on failure, audited either way.</summary>
    public const string EscalationDeliver = "escalation.deliver";
}

/// <summary>Body of <see cref="Topics.ReportReceived"/>.</summary>
public sealed record ReportReceived(
    [property: JsonPropertyName("case_id")] string CaseId,
    [property: JsonPropertyName("report_id")] string ReportId,
    [property: JsonPropertyName("opened_case")] bool OpenedCase)
{
    public static QueueMessage ToMessage(ReportReceived body) =>
        new($"{Topics.ReportReceived}:{body.ReportId}", Topics.ReportReceived,
            JsonSerializer.Serialize(body, CoreJsonContext.Default.ReportReceived));

    public static ReportReceived? FromMessage(QueueMessage message) =>
        JsonSerializer.Deserialize(message.Body, CoreJsonContext.Default.ReportReceived);
}

[JsonSerializable(typeof(ReportReceived))]
internal sealed partial class CoreJsonContext : JsonSerializerContext;
