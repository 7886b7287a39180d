using System.Globalization;
using Relay.Core.Cases;
using Relay.Core.Reports;
using Relay.Core.Text;

namespace Relay.Core.Escalation.Channels;

/// <summary>
/// NCMEC's CyberTipline for child-safety cases: <c>/submit</c> opens a report, <c>/finish</c> completes it. The report id
/// is audited (<c>cybertipline.submitted</c>) before finishing, so a retry finishes that report instead of filing a
/// second; "already finished" (5102) counts as done and "no such report" (5001, an unfinished report NCMEC expired) files
/// again. Other categories are skipped: the CyberTipline takes child exploitation only.
/// </summary>
public sealed class CyberTiplineChannel(ICyberTipline tipline, IEvidenceStore evidence, ICaseStore cases, ICaseWriteStore writes,
    EscalationSettings settings, TimeProvider time) : IEscalationChannel
{
    public const int AlreadyFinished = 5102;
    public const int NoSuchReport = 5001;

    public string Kind => ChannelKinds.CyberTipline;

    public async Task<ChannelOutcome> DeliverAsync(EscalationDelivery delivery, CancellationToken cancellationToken)
    {
        var c = delivery.Case;
        if (c.Category is not { IsChildSafety: true } category)
        {
            return new ChannelOutcome.Skipped($"the CyberTipline takes child-safety reports only; this case is {c.Category?.Id ?? "unspecified"}");
        }
        if (!tipline.IsConfigured)
        {
            return new ChannelOutcome.Skipped("the CyberTipline is not configured (Relay__CyberTipline__Username and __Password)");
        }
        var audit = await cases.GetAuditAsync(c.Id, cancellationToken);
        if (audit.LastOrDefault(a => a.Action == "cybertipline.submitted") is { Detail: { } submitted })
        {
            var earlier = submitted["report ".Length..];
            if (audit.Any(a => a.Action == "cybertipline.finished" && a.Detail == submitted))
            {
                return new ChannelOutcome.Delivered("CyberTipline report " + earlier);
            }
            try
            {
                await tipline.FinishAsync(earlier, cancellationToken);
                return await FinishedAsync(c, earlier, cancellationToken);
            }
            catch (CyberTiplineException e) when (e.ResponseCode == AlreadyFinished)
            {
                return await FinishedAsync(c, earlier, cancellationToken);
            }
            catch (CyberTiplineException e) when (e.ResponseCode == NoSuchReport)
            {
                // NCMEC dropped the unfinished report; file it again below.
            }
        }
        var report = await ReportAsync(c, category, cancellationToken);
        var reportId = await tipline.SubmitAsync(report, cancellationToken);
        await AuditAsync(c, "cybertipline.submitted", "report " + reportId, cancellationToken);
        await tipline.FinishAsync(reportId, cancellationToken);
        return await FinishedAsync(c, reportId, cancellationToken);
    }

    private async Task<ChannelOutcome> FinishedAsync(Case c, string reportId, CancellationToken cancellationToken)
    {
        await AuditAsync(c, "cybertipline.finished", "report " + reportId, cancellationToken);
        return new ChannelOutcome.Delivered("CyberTipline report " + reportId);
    }

    /// <summary>The report id is recorded on the case (its audit trail) as soon as NCMEC returns it.</summary>
    private Task AuditAsync(Case c, string action, string detail, CancellationToken cancellationToken) =>
        writes.AppendAuditAsync([new AuditEntry(c.Id, time.GetUtcNow(), AuditEntry.System, action, detail)], cancellationToken);

    private async Task<CyberTiplineReport> ReportAsync(Case c, HarmCategory category, CancellationToken cancellationToken)
    {
        var items = await evidence.GetAsync(c.Id, cancellationToken);
        var details = new List<string>
        {
            $"Reported on Matrix through Relay by the community {settings.Community}; Relay case {c.Id}.",
            $"Category (MSC4456): {category.Id}; {Counted.Of(c.ReporterCount, "distinct reporter")}; first reported {c.OpenedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}.",
        };
        switch (c.Target)
        {
            case ReportTarget.Event e:
                details.Add($"Event {e.EventId} ({e.EventType}) in room {e.RoomId}, sent by {e.Sender}.");
                break;
            case ReportTarget.RoomTarget { Inviter: { } inviter } r:
                details.Add($"Unsolicited invites from {inviter} to room {r.RoomId} (and any other rooms of the case).");
                break;
            case ReportTarget.RoomTarget r:
                details.Add($"Room {r.RoomId}.");
                break;
            case ReportTarget.UserTarget u:
                details.Add($"User {u.UserId}.");
                break;
        }
        details.AddRange(items.Select(i => $"Preserved: event JSON of {i.Item}, SHA-256 {i.Sha256}, kept until {i.ExpiresAt.UtcDateTime:yyyy-MM-dd}."));
        details.Add("No media was downloaded or uploaded; content is available from the preserved event on request.");
        var room = c.Target switch
        {
            ReportTarget.RoomTarget r => r.RoomId.Value,
            _ => c.Target.Room?.Value ?? "none (user report)",
        };
        var incidentAt = items.Select(i => i.ReportedAt).DefaultIfEmpty(c.OpenedAt).Min();
        return new CyberTiplineReport(IncidentType(category), incidentAt, room, string.Join(" ", details),
            c.Target.ReportedUser?.Value, c.Target.ReportedUser?.Server);
    }

    /// <summary>The CyberTipline's incident types (its schema's enumeration), from the MSC4456 child-safety categories.</summary>
    public static string IncidentType(HarmCategory category) => category.Id switch
    {
        "m.child_safety.grooming" => "Online Enticement of Children for Sexual Acts",
        "m.child_safety.harassment" => "Online Enticement of Children for Sexual Acts",
        _ => "Child Pornography (possession, manufacture, and distribution)",
    };
}
