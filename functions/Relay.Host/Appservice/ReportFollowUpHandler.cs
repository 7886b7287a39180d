using System.Security.Cryptography;
using System.Text;
using Relay.Core.Appservice;
using Relay.Core.Errors;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Core.Queue;
using EventId = Relay.Core.Identifiers.EventId;

namespace Relay.Host.Appservice;

/// <summary>
/// After an in-Matrix report: redact the 🚩 or <c>!report</c> so the room never learns who reported, then
/// tell the reporter in a DM (reusing or creating the bot's DM with them). Transaction IDs derive from the
/// triggering event, so a redelivered message neither redacts nor posts twice.
/// </summary>
public sealed class ReportFollowUpHandler(
    IMatrixBot bot,
    DirectMessages directMessages,
    ILogger<ReportFollowUpHandler> logger) : IQueueHandler
{
    public string Topic => AppserviceTopics.ReportFollowUp;

    public async Task HandleAsync(QueueDelivery delivery, CancellationToken cancellationToken)
    {
        if (ReportFollowUp.From(delivery.Message) is not { } f
            || !RoomId.TryParse(f.RoomId, out var room) || !EventId.TryParse(f.TriggerEventId, out var trigger)
            || !UserId.TryParse(f.Reporter, out var reporter))
        {
            logger.LogWarning("Dropped malformed message {MessageId}", delivery.Message.Id);
            return;
        }
        if (f.Redact)
        {
            try
            {
                await bot.RedactAsync(room, trigger, TxnId("redact", trigger), null, cancellationToken);
            }
            catch (MatrixException e) when (e.Error.Status is 403 or 404)
            {
                logger.LogWarning("Could not redact a report trigger in {RoomId} ({ErrCode}): give the bot the power to redact",
                    room, e.Error.ErrCode);
            }
        }
        var dm = RoomId.TryParse(f.ReplyRoomId, out var reply) ? reply : await directMessages.RoomAsync(reporter, cancellationToken);
        await bot.SendMessageAsync(dm, TxnId("ack", trigger), new MatrixMessage(Text(f)), cancellationToken);
    }

    public static string Text(ReportFollowUp f) => f.Problem switch
    {
        null => $"Thank you. Your report was received as case {f.CaseId}; the room's moderators will look at it."
            + (f.Redact ? " Your report in the room was removed, so nobody there can see who reported." : "")
            + $" To follow the case in its room, reply here with: !followup {f.CaseId} (the moderators will then see your Matrix profile).",
        "followup_ok" => $"You now follow case {f.CaseId}: you are invited to its room, where you can read but not act.",
        "followup_closed" => $"Case {f.CaseId} is already closed; there is nothing left to follow.",
        "followup_not_yours" => "You can follow only a case you reported into, by the case reference Relay sent you.",
        "followup_usage" => "To follow a case, send: !followup <case reference> (the reference Relay sent you after your report).",
        "rate_limited" => "You have sent many reports in a short time, so this one was not filed. Please try again in a few minutes.",
        "not_found" => "Relay could not find that message; it may have been deleted already.",
        "not_protected" => "That link is not to a room Relay protects, so Relay cannot file this report. "
            + "Ask the room's moderators to invite Relay, or use your client's Report button.",
        "not_member" => "You can report messages only in rooms you are a member of.",
        "no_link" => "To report a message, send its link (in most clients: Share, then Copy link; it starts with "
            + "https://matrix.to/#/) and, if you like, a reason on the same message.",
        _ => "Relay could not file this report.",
    };

    /// <summary>Event IDs may hold characters that are awkward in paths; a hash of one is not.</summary>
    private static string TxnId(string purpose, EventId trigger) =>
        $"relay-{purpose}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(trigger.Value)))[..32]}";
}
