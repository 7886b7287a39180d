using Microsoft.Extensions.Options;
using Relay.Core.Appservice;
using Relay.Core.Errors;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using EventId = Relay.Core.Identifiers.EventId;
using Relay.Core.Reports;
using Relay.Host.Configuration;

namespace Relay.Host.Reports;

/// <summary>
/// Turns MSC4457's single <c>regarding</c> identifier into a report target, using the reporter's own
/// token so Relay only accepts what the reporter can see.
/// </summary>
public sealed class ComplaintTargetResolver(IHomeserver homeserver, IOptions<RelayOptions> options, IProtectedRoomStore protectedRooms)
{
    /// <summary>Bounds the search for an event's room, so one report cannot fan out into many homeserver calls.</summary>
    private const int MaxRoomsSearched = 25;

    public async Task<ReportTarget> ResolveAsync(string token, SafetyComplaint complaint, CancellationToken cancellationToken)
    {
        var regarding = complaint.Regarding;
        if (UserId.TryParse(regarding, out var user))
        {
            return new ReportTarget.UserTarget(user);
        }
        if (RoomId.TryParse(regarding, out var room))
        {
            return new ReportTarget.RoomTarget(room);
        }
        if (RoomAlias.TryParse(regarding, out var alias))
        {
            return new ReportTarget.RoomTarget(await homeserver.ResolveRoomAliasAsync(token, alias, cancellationToken));
        }
        if (EventId.TryParse(regarding, out var eventId))
        {
            return await ResolveEventAsync(token, eventId, complaint.RoomId, cancellationToken);
        }
        throw new MatrixException(MatrixError.InvalidParam(
            "Relay takes complaints about users, rooms and events; send complaints about servers, media " +
            "or the reporting system to your homeserver."));
    }

    private async Task<ReportTarget> ResolveEventAsync(string token, EventId eventId, RoomId? room, CancellationToken cancellationToken)
    {
        if (room is { } given)
        {
            return ToTarget(await homeserver.GetEventAsync(token, given, eventId, cancellationToken));
        }
        // Configured rooms first, then the rooms whose moderators invited the bot.
        var candidates = options.Value.Reports.ProtectedRooms.Select(RoomId.Parse)
            .Concat(await protectedRooms.ListAsync(MaxRoomsSearched, cancellationToken))
            .Distinct()
            .Take(MaxRoomsSearched);
        foreach (var candidate in candidates)
        {
            try
            {
                return ToTarget(await homeserver.GetEventAsync(token, candidate, eventId, cancellationToken));
            }
            catch (MatrixException e) when (e.Error.ErrCode == "M_NOT_FOUND")
            {
                // Not in this room (or not visible to the reporter): try the next one.
            }
        }
        throw new MatrixException(MatrixError.NotFound(
            "The event is not in a room Relay protects, or you cannot see it; add 'room_id' to say where it is."));
    }

    private static ReportTarget.Event ToTarget(EventFacts facts) =>
        new(facts.RoomId, facts.EventId, facts.Sender, facts.Type);
}
