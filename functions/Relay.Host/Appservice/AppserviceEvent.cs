using System.Text.Json.Nodes;
using Relay.Core.Identifiers;
using EventId = Relay.Core.Identifiers.EventId;

namespace Relay.Host.Appservice;

/// <summary>The few kinds of pushed event Relay acts on; everything else in a transaction is skipped unread.</summary>
public abstract record AppserviceEvent(RoomId Room, EventId EventId, UserId Sender)
{
    /// <summary>An m.room.member event whose state_key is the bot.</summary>
    public sealed record BotMembership(RoomId Room, EventId EventId, UserId Sender, string Membership, bool IsDirect,
        JsonObject? StrippedCreate, JsonObject? StrippedPowerLevels)
        : AppserviceEvent(Room, EventId, Sender);

    /// <summary>An m.annotation reaction with the report key.</summary>
    public sealed record FlagReaction(RoomId Room, EventId EventId, UserId Sender, EventId Target)
        : AppserviceEvent(Room, EventId, Sender);

    /// <summary>A reply whose text starts with <c>!report</c>.</summary>
    public sealed record ReportCommand(RoomId Room, EventId EventId, UserId Sender, EventId Target, string? Reason)
        : AppserviceEvent(Room, EventId, Sender);

    /// <summary>A message with a matrix.to link, which counts when it is sent to the bot in a DM.</summary>
    public sealed record LinkMessage(RoomId Room, EventId EventId, UserId Sender, string Body)
        : AppserviceEvent(Room, EventId, Sender);

    /// <summary><c>!followup &lt;case id&gt;</c>, which counts when it is sent to the bot in a DM.</summary>
    public sealed record FollowUpCommand(RoomId Room, EventId EventId, UserId Sender, string? CaseReference)
        : AppserviceEvent(Room, EventId, Sender);

    /// <summary>
    /// A moderator action candidate (an action emoji reaction or a <c>!command</c>) or a power-levels change:
    /// handed whole to the case-room code, which decides whether it concerns a case.
    /// </summary>
    public sealed record CaseRoomCandidate(Relay.Core.Homeserver.RoomEvent Event)
        : AppserviceEvent(Event.RoomId, Event.EventId, Event.Sender);
}
