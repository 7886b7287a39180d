using Relay.Core.Appservice;
using Relay.Core.Homeserver;
using Relay.Core.Queue;

namespace Relay.Core.Cases.Rooms;

/// <summary>
/// The handler of <c>reporter.notify</c>: a one-line DM to a reporter with their case's outcome, never
/// who decided it. The DM goes through <see cref="DirectMessages"/>; the message's txnId is
/// derived from the case and the reporter, so a retry never sends it twice.
/// </summary>
public sealed class NotifyReporter(ICaseStore cases, DirectMessages directMessages) : IQueueHandler
{
    public string Topic => ReporterNotice.Topic;

    public async Task HandleAsync(QueueDelivery delivery, CancellationToken cancellationToken)
    {
        var notice = ReporterNotice.FromMessage(delivery.Message);
        if (notice is null || !CaseId.TryParse(notice.CaseId, out var id))
        {
            throw new FormatException($"Message {delivery.Message.Id} carries no valid case_id.");
        }
        if (await cases.GetCaseAsync(id, cancellationToken) is not { } c || c.State.IsOpen())
        {
            return;
        }
        var reporter = (await cases.GetReportsAsync(id, cancellationToken))
            .FirstOrDefault(r => r.ReporterHash == notice.ReporterHash && r.Reporter is not null)?.Reporter;
        if (reporter is not { } user)
        {
            return;
        }
        var message = new MatrixMessage(Line(c), Notice: true);
        var txn = CaseTxn.For(id, "outcome", notice.ReporterHash[..Math.Min(16, notice.ReporterHash.Length)]);
        await directMessages.SendAsync(user, txn, message, cancellationToken);
    }

    public static string Line(Case c) => c.State switch
    {
        CaseState.Resolved => $"Your report {c.Id.Short} is closed: the moderators acted on it. Thank you for reporting.",
        CaseState.Dismissed => $"Your report {c.Id.Short} is closed: the moderators reviewed it and took no action. Thank you for reporting.",
        _ => $"Your report {c.Id.Short} is {c.State.ToString().ToLowerInvariant()}.",
    };
}
