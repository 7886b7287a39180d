namespace Relay.TestHomeserver;

public enum ReportKind
{
    Event,
    Room,
    User,
}

/// <summary>A report received on the homeserver's own report endpoints (report_content.yaml).</summary>
public sealed record ReceivedReport(
    ReportKind Kind,
    string Reporter,
    string? RoomId,
    string? EventId,
    string? UserId,
    string? Reason,
    long? Score = null);
