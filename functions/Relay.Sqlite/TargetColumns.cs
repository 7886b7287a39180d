using Microsoft.Data.Sqlite;
using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Sqlite;

/// <summary>
/// A report target as five columns (kind, room, event, user, event type), shared by Reports and Cases.
/// Only identifiers and the event type are stored, never event content. A room target's user column holds its inviter
/// (invite spam), so such a case belongs to no room's moderators: <see cref="OwningRoom"/> says so in SQL.
/// </summary>
internal static class TargetColumns
{
    /// <summary>The column list in read order; readers pass the ordinal where it starts.</summary>
    public const string Names = "TargetKind, RoomId, EventId, UserId, EventType";

    public const string Parameters = "@TargetKind, @RoomId, @EventId, @UserId, @EventType";

    public const int Count = 5;

    /// <summary>SQL for <see cref="ReportTarget.Room"/>: the room whose moderators own the case; null for an invite-spam room.</summary>
    public const string OwningRoom = "(CASE WHEN TargetKind = 2 AND UserId IS NOT NULL THEN NULL ELSE RoomId END)"; // 2: TargetKind.Room

    public static SqliteCommand WithTarget(this SqliteCommand command, ReportTarget target)
    {
        var (room, eventId, user, eventType) = target switch
        {
            ReportTarget.Event e => (e.RoomId.Value, e.EventId.Value, e.Sender.Value, e.EventType),
            ReportTarget.RoomTarget r => (r.RoomId.Value, null, r.Inviter?.Value, null),
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
            TargetKind.Room => new ReportTarget.RoomTarget(RoomId.Parse(reader.GetString(start + 1)),
                reader.IsDBNull(start + 3) ? null : UserId.Parse(reader.GetString(start + 3))),
            TargetKind.User => new ReportTarget.UserTarget(UserId.Parse(reader.GetString(start + 3))),
            _ => throw new InvalidDataException($"Unknown target kind {(int)kind} in the database."),
        };
    }
}
