using Azure.Data.Tables;
using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Core.Queue;
using Relay.Core.Reports;

namespace Relay.Azure.Tables;

/// <summary>
/// Domain records to and from table rows. Times are stored as UTC ticks (Edm.Int64): exact to the tick,
/// where Edm.DateTime would round. Harm categories by their stable <c>m.</c> identifier; targets as
/// identifiers and the event type, never event content.
/// </summary>
internal static class RowMapping
{
    public static TableEntity CaseRow(string partition, Case @case)
    {
        var row = new TableEntity(partition, CaseRowKeys.Case(@case.Id.Value))
        {
            ["CaseId"] = @case.Id.Value,
            ["DedupeKey"] = @case.DedupeKey,
            ["State"] = @case.State.ToString(),
            ["Tier"] = @case.Tier,
            ["Category"] = @case.Category?.Id,
            ["ReporterCount"] = @case.ReporterCount,
            ["ReportCount"] = @case.ReportCount,
            ["OpenedAt"] = @case.OpenedAt.UtcTicks,
            ["UpdatedAt"] = @case.UpdatedAt.UtcTicks,
            ["CaseRoom"] = @case.CaseRoom?.Value,
            ["SummaryEvent"] = @case.SummaryEvent?.Value,
            ["SummaryRevision"] = @case.SummaryRevision,
            // Null when no deadline is pending; a null property is simply not stored, so old rows read as no deadline.
            ["NextDueAt"] = @case.NextDueAt?.UtcTicks,
            ["Incident"] = @case.Incident?.Value,
        };
        WriteTarget(row, @case.Target);
        return row;
    }

    public static Case ToCase(TableEntity row)
    {
        var target = ReadTarget(row);
        // Rows written before offender cases hold their target's own key; either way the stored key is the case's.
        var key = row.GetString("DedupeKey");
        return ToCase(row, target, key is null || key == target.DedupeKey ? null : key);
    }

    private static Case ToCase(TableEntity row, ReportTarget target, string? groupKey) => new(
        CaseId.Parse(Required(row, "CaseId")),
        target,
        Enum.Parse<CaseState>(Required(row, "State")),
        row.GetInt32("Tier") ?? 1,
        Category(row.GetString("Category")),
        row.GetInt32("ReporterCount") ?? 0,
        row.GetInt32("ReportCount") ?? 0,
        Time(row, "OpenedAt"),
        Time(row, "UpdatedAt"),
        row.GetString("CaseRoom") is { } room ? RoomId.Parse(room) : null,
        row.ETag.ToString(),
        row.GetString("SummaryEvent") is { } summary ? EventId.Parse(summary) : null,
        row.GetInt32("SummaryRevision") ?? 0,
        row.GetInt64("NextDueAt") is { } due ? new DateTimeOffset(due, TimeSpan.Zero) : null,
        groupKey,
        row.GetString("Incident") is { } incident ? RoomId.Parse(incident) : null);

    public static TableEntity ReportRow(string partition, Report report)
    {
        var row = new TableEntity(partition, CaseRowKeys.Report(report.CaseId.Value, report.Id))
        {
            ["ReportId"] = report.Id,
            ["CaseId"] = report.CaseId.Value,
            ["ReporterHash"] = report.ReporterHash,
            ["Reporter"] = report.Reporter?.Value,
            ["Category"] = report.Category?.Id,
            ["Reason"] = report.Reason,
            ["Source"] = (int)report.Source,
            ["ReceivedAt"] = report.ReceivedAt.UtcTicks,
            ["IdempotencyKey"] = report.IdempotencyKey,
            ["ContactEmail"] = report.ContactEmail,
        };
        WriteTarget(row, report.Target);
        return row;
    }

    public static Report ToReport(TableEntity row) => new(
        Required(row, "ReportId"),
        CaseId.Parse(Required(row, "CaseId")),
        ReadTarget(row),
        Required(row, "ReporterHash"),
        row.GetString("Reporter") is { } reporter ? UserId.Parse(reporter) : null,
        Category(row.GetString("Category")),
        row.GetString("Reason"),
        (ReportSource)(row.GetInt32("Source") ?? 0),
        Time(row, "ReceivedAt"),
        row.GetString("IdempotencyKey"),
        row.GetString("ContactEmail"));

    public static TableEntity AuditRow(string partition, string rowKey, AuditEntry entry) => new(partition, rowKey)
    {
        ["CaseId"] = entry.CaseId.Value,
        ["At"] = entry.At.UtcTicks,
        ["Actor"] = entry.Actor,
        ["Action"] = entry.Action,
        ["Detail"] = entry.Detail,
    };

    public static AuditEntry ToAudit(TableEntity row) => new(
        CaseId.Parse(Required(row, "CaseId")),
        Time(row, "At"),
        Required(row, "Actor"),
        Required(row, "Action"),
        row.GetString("Detail"));

    public static TableEntity OutboxRow(string partition, string rowKey, QueueMessage message) => new(partition, rowKey)
    {
        ["MessageId"] = message.Id,
        ["Topic"] = message.Topic,
        ["Body"] = message.Body,
        ["NotBefore"] = message.NotBefore?.UtcTicks,
    };

    public static QueueMessage ToMessage(TableEntity row) => new(
        Required(row, "MessageId"),
        Required(row, "Topic"),
        row.GetString("Body") ?? "",
        row.GetInt64("NotBefore") is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null);

    public static DateTimeOffset Time(TableEntity row, string name) =>
        new(row.GetInt64(name) ?? throw Missing(row, name), TimeSpan.Zero);

    public static string Required(TableEntity row, string name) => row.GetString(name) ?? throw Missing(row, name);

    private static void WriteTarget(TableEntity row, ReportTarget target)
    {
        var (room, eventId, user, eventType) = target switch
        {
            ReportTarget.Event e => (e.RoomId.Value, e.EventId.Value, e.Sender.Value, e.EventType),
            // A room target's user is its inviter (invite spam).
            ReportTarget.RoomTarget r => (r.RoomId.Value, null, r.Inviter?.Value, null),
            ReportTarget.UserTarget u => ((string?)null, (string?)null, u.UserId.Value, (string?)null),
            _ => throw new ArgumentOutOfRangeException(nameof(target), target.GetType().Name, "Unknown report target."),
        };
        row["TargetKind"] = (int)target.Kind;
        row["RoomId"] = room;
        row["EventId"] = eventId;
        row["UserId"] = user;
        row["EventType"] = eventType;
    }

    private static ReportTarget ReadTarget(TableEntity row)
    {
        var kind = (TargetKind)(row.GetInt32("TargetKind") ?? 0);
        return kind switch
        {
            TargetKind.Event => new ReportTarget.Event(
                RoomId.Parse(Required(row, "RoomId")),
                EventId.Parse(Required(row, "EventId")),
                UserId.Parse(Required(row, "UserId")),
                Required(row, "EventType")),
            TargetKind.Room => new ReportTarget.RoomTarget(RoomId.Parse(Required(row, "RoomId")),
                row.GetString("UserId") is { } inviter ? UserId.Parse(inviter) : null),
            TargetKind.User => new ReportTarget.UserTarget(UserId.Parse(Required(row, "UserId"))),
            _ => throw new InvalidDataException($"Unknown target kind {(int)kind} in row {row.RowKey}."),
        };
    }

    /// <summary>A retired identifier reads as uncategorised: better a case without a category than one nobody can open.</summary>
    private static HarmCategory? Category(string? stored) => HarmCategory.TryParse(stored, out var category) ? category : null;

    private static InvalidDataException Missing(TableEntity row, string name) =>
        new($"Row {row.RowKey} has no {name}.");
}
