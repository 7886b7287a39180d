using Relay.Core.Identifiers;

namespace Relay.Core.Reports;

/// <summary>What a report is about. Reports about the same target join one open case.</summary>
public abstract record ReportTarget
{
    private ReportTarget()
    {
    }

    /// <summary>The room whose moderators own the case, when there is one.</summary>
    public abstract RoomId? Room { get; }

    /// <summary>The user the report is about (the event's sender for an event); never invited, never told who reported.</summary>
    public abstract UserId? ReportedUser { get; }

    /// <summary>Key of the CaseIndex: reports with the same key join the same open case.</summary>
    public abstract string DedupeKey { get; }

    public abstract TargetKind Kind { get; }

    /// <summary>An event, with what the homeserver told us of it: sender and type, never content.</summary>
    public sealed record Event(RoomId RoomId, EventId EventId, UserId Sender, string EventType) : ReportTarget
    {
        public override RoomId? Room => RoomId;

        public override UserId? ReportedUser => Sender;

        // A space: no room or event ID may hold one, so the key splits one way only ('|' may occur in IDs).
        public override string DedupeKey => $"event|{RoomId.Value} {EventId.Value}";

        public override TargetKind Kind => TargetKind.Event;
    }

    /// <summary>
    /// A room. With <paramref name="Inviter"/>, a room the reporter was invited to and never joined (invite spam): the
    /// report is about whoever sent the invite, and the room is the inviter's, not the community's, so no room's moderators
    /// own the case (<see cref="Room"/> is null) and nothing of it may reach <paramref name="RoomId"/> or its members.
    /// </summary>
    public sealed record RoomTarget(RoomId RoomId, UserId? Inviter = null) : ReportTarget
    {
        public override RoomId? Room => Inviter is null ? RoomId : null;

        public override UserId? ReportedUser => Inviter;

        /// <summary>Invite spam: a room the reporter was only invited to, by <see cref="Inviter"/>.</summary>
        public bool IsInvite => Inviter is not null;

        public override string DedupeKey => $"room|{RoomId.Value}";

        public override TargetKind Kind => TargetKind.Room;
    }

    public sealed record UserTarget(UserId UserId) : ReportTarget
    {
        public override RoomId? Room => null;

        public override UserId? ReportedUser => UserId;

        public override string DedupeKey => $"user|{UserId.Value}";

        public override TargetKind Kind => TargetKind.User;
    }
}

public enum TargetKind
{
    Event = 1,
    Room = 2,
    User = 3,
}
