using System.Text.Json;
using System.Text.Json.Serialization;
using Relay.Core.Queue;
using Relay.Core.Reports;

namespace Relay.Core.Cases.Rooms;

/// <summary>
/// Body of <see cref="Topic"/>: tell one reporter how their case ended. Names the reporter by hash only,
/// so the queue holds no user IDs; the handler finds the reporter among the case's reports.
/// </summary>
public sealed record ReporterNotice(
    [property: JsonPropertyName("case_id")] string CaseId,
    [property: JsonPropertyName("reporter_hash")] string ReporterHash)
{
    public const string Topic = "reporter.notify";

    /// <summary>
    /// One message per distinct reporter Relay can reach (reports with a Matrix ID), except the reported user reporting
    /// themselves: "the moderators acted on it" would tell an offender what was done to them. Ids are deterministic.
    /// </summary>
    public static IReadOnlyList<QueueMessage> For(CaseId id, IEnumerable<Report> reports) =>
        [.. reports
            .Where(r => r.Reporter is not null && !r.IsSelfReport)
            .Select(r => r.ReporterHash)
            .Distinct(StringComparer.Ordinal)
            .Select(hash => new QueueMessage($"{Topic}:{id.Value}:{hash}", Topic,
                JsonSerializer.Serialize(new ReporterNotice(id.Value, hash), CaseJsonContext.Default.ReporterNotice)))];

    public static ReporterNotice? FromMessage(QueueMessage message) =>
        JsonSerializer.Deserialize(message.Body, CaseJsonContext.Default.ReporterNotice);
}

[JsonSerializable(typeof(ReporterNotice))]
internal sealed partial class CaseJsonContext : JsonSerializerContext;
