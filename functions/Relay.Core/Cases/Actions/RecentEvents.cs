using Relay.Core.Homeserver;
using Relay.Core.Identifiers;

namespace Relay.Core.Cases.Actions;

/// <summary>
/// An offender's recent events in a room, read backwards with <see cref="IMatrixBot.GetEventsBySenderAsync"/>: those
/// sent since <c>since</c>, at most <c>max</c>, skipping state events (a ban handles membership), redactions and events
/// already redacted. Bounded in pages too, since a filtered page may hold few or none of the sender's events.
/// </summary>
public static class RecentEvents
{
    private const int PageSize = 100;
    private const int MaxPages = 50;

    public static async Task<IReadOnlyList<EventId>> OfAsync(IMatrixBot bot, RoomId room, UserId sender, DateTimeOffset since, int max,
        CancellationToken cancellationToken)
    {
        var found = new List<EventId>();
        string? from = null;
        for (var page = 0; page < MaxPages && found.Count < max; page++)
        {
            var read = await bot.GetEventsBySenderAsync(room, sender, from, PageSize, cancellationToken);
            foreach (var e in read.Events)
            {
                if (e.SentAt < since)
                {
                    return found;
                }
                if (e.Sender == sender && !e.IsState && !e.IsRedacted && e.Type != "m.room.redaction" && found.Count < max)
                {
                    found.Add(e.EventId);
                }
            }
            if (read.End is null || read.End == from)
            {
                break;
            }
            from = read.End;
        }
        return found;
    }
}
