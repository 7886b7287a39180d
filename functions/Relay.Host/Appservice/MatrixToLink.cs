using System.Text.RegularExpressions;
using EventId = Relay.Core.Identifiers.EventId;

namespace Relay.Host.Appservice;

/// <summary>
/// A <c>https://matrix.to/#/&lt;room id or alias&gt;/&lt;event id&gt;</c> link in a message, and the text around it
/// as the reason. <see cref="TryParseReference"/> reads one whole field instead (the web form's link).
/// </summary>
public sealed partial record MatrixToLink(string RoomIdOrAlias, EventId EventId)
{
    /// <summary>
    /// The whole of <paramref name="text"/> as a room or event reference: a matrix.to link to a room or to an event
    /// (<c>https://matrix.to/#/!room:server/$event</c>, <c>#alias:server/$event</c>, <c>?via=</c> ignored), or a bare
    /// room ID or alias. The room part is unescaped but not checked against the grammar; the event part is.
    /// </summary>
    public static bool TryParseReference(string text, out string roomIdOrAlias, out EventId? eventId)
    {
        roomIdOrAlias = "";
        eventId = null;
        var match = Reference().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }
        var room = Uri.UnescapeDataString(match.Groups["room"].Value);
        if (room.Length == 0 || room[0] is not ('!' or '#'))
        {
            return false;
        }
        if (match.Groups["event"].Success)
        {
            if (!EventId.TryParse(Uri.UnescapeDataString(match.Groups["event"].Value), out var id))
            {
                return false;
            }
            eventId = id;
        }
        roomIdOrAlias = room;
        return true;
    }

    public static bool TryFind(string text, out MatrixToLink link, out string? reason)
    {
        link = null!;
        reason = null;
        foreach (Match match in Link().Matches(text))
        {
            var room = Uri.UnescapeDataString(match.Groups["room"].Value);
            var eventId = Uri.UnescapeDataString(match.Groups["event"].Value);
            if (room.Length == 0 || room[0] is not ('!' or '#') || !EventId.TryParse(eventId, out var id))
            {
                continue;
            }
            link = new MatrixToLink(room, id);
            var rest = (text[..match.Index] + " " + text[(match.Index + match.Length)..]).Trim();
            reason = rest.Length == 0 ? null : TransactionReader.Truncate(rest, Reports.LegacyReportBody.MaxReasonBytes);
            return true;
        }
        return false;
    }

    [GeneratedRegex(@"https://matrix\.to/#/(?<room>[^/\s?]+)/(?<event>[^/\s?]+)(\?[^\s]*)?", RegexOptions.CultureInvariant)]
    private static partial Regex Link();

    [GeneratedRegex(@"^(?:(?:https?://)?matrix\.to/#/)?(?<room>[^/\s?]+)(?:/(?<event>[^/\s?]+))?/?(?:\?\S*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}
