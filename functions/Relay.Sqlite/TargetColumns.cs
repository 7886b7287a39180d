using Microsoft.Data.Sqlite;
using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Sqlite;

/// <summary>
/// A report target as five columns (kind, room, event, user, event type), shared by Reports and Cases.
/// Only identifiers and the event type are stored, never event content.
/// </summary>
internal static class TargetColumns
{
    /// <summary>The column list in read order; readers pass the ordinal where it starts.</summary>
    public const string Names = "TargetKind, RoomId, EventId, UserId, EventType";

    public const string Parameters = "@TargetKind, @RoomId, @EventId, @UserId, @EventType";

    public const int Count = 5;

    public static SqliteCommand WithTarget(this SqliteCommand command, ReportTarget target)
    {
        var (room, eventId, user, eventType) = target switch
        {
            ReportTarget.Event e => (e.RoomId.Value, e.EventId.Value, e.Sender.Value, e.EventType),
            ReportTarget.RoomTarget r => (r.RoomId.Value, null, null, null),
            ReportTarget.UserTarget u => ((string?)null, (string?)null, u.UserId.Value, (string?)null),
            _ => throw new ArgumentOutOfRangeException(nameof(target), target.GetType().Name, "Unknown report target."),
        };
        return command
            .With("@TargetKind", (int)target.Kind)
            .With("@RoomId", room)
            .With("@EventId", eventId)
            .With("@UserId", user)
            .With("@EventType", eventType);
    }

    public static ReportTarget GetTarget(this SqliteDataReader reader, int start)
    {
        var kind = (TargetKind)reader.GetInt32(start);
        return kind switch
        {
            TargetKind.Event => new ReportTarget.Event(
                RoomId.Parse(reader.GetString(start + 1)),
                EventId.Parse(reader.GetString(start + 2)),
                UserId.Parse(reader.GetString(start + 3)),
                reader.GetString(start + 4)),
            TargetKind.Room => new ReportTarget.RoomTarget(RoomId.Parse(reader.GetString(start + 1))),
            TargetKind.User => new ReportTarget.UserTarget(UserId.Parse(reader.GetString(start + 3))),
            _ => throw new InvalidDataException($"Unknown target kind {(int)kind} in the database."),
        };
    }
}
