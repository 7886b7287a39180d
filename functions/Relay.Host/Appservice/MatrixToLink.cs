using System.Text.RegularExpressions;
using EventId = Relay.Core.Identifiers.EventId;

namespace Relay.Host.Appservice;

/// <summary>A <c>https://matrix.to/#/&lt;room id or alias&gt;/&lt;event id&gt;</c> link in a message, and the text around it as the reason.</summary>
public sealed partial record MatrixToLink(string RoomIdOrAlias, EventId EventId)
{
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
}
