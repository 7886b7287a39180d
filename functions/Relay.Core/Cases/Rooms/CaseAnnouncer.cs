using System.Net;
using Relay.Core.Errors;
using Relay.Core.Homeserver;

namespace Relay.Core.Cases.Rooms;

/// <summary>
/// One line per new case, escalation and closure in the configured moderators' room, linking the case
/// room. Best effort: a refusal is audited and never holds the case up.
/// </summary>
public sealed class CaseAnnouncer(IMatrixBot bot, CaseRoomSettings settings, ICaseWriteStore writes, TimeProvider time)
{
    /// <summary>Posts once per case and <paramref name="purpose"/> (the txnId is derived from both).</summary>
    public async Task AnnounceAsync(Case c, string purpose, string line, CancellationToken cancellationToken)
    {
        if (settings.ModeratorsRoom is not { } room || c.CaseRoom is not { } caseRoom)
        {
            return;
        }
        var link = MatrixLinks.Room(caseRoom);
        var message = new MatrixMessage($"{line}: {link}",
            $"{WebUtility.HtmlEncode(line)}: <a href=\"{WebUtility.HtmlEncode(link)}\">Report {WebUtility.HtmlEncode(c.Id.Short)}</a>");
        try
        {
            await bot.SendMessageAsync(room, CaseTxn.For(c.Id, "announce-" + purpose, 0), message, cancellationToken);
        }
        catch (MatrixException e)
        {
            await writes.AppendAuditAsync([new AuditEntry(c.Id, time.GetUtcNow(), AuditEntry.System, "announce.failed",
                $"{purpose} in {room}: {e.Error.ErrCode} ({e.Error.Status})")], cancellationToken);
        }
    }
}
