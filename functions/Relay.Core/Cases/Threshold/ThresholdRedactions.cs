using System.Security.Cryptography;
using System.Text;
using Relay.Core.Appservice;
using Relay.Core.Cases.Rooms;
using Relay.Core.Errors;
using Relay.Core.Escalation;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Core.Memory;
using Relay.Core.Reports;
using Relay.Core.Text;

namespace Relay.Core.Cases.Threshold;

/// <summary>
/// The threshold rule carried out (run by <see cref="OpenCase"/> after every report): for each reported event of the case
/// in a protected room whose <see cref="ThresholdSetting"/> is on, once its distinct reporters reach N, the bot keeps the
/// event as it fetches it now (an evidence item of the case, kept for the evidence retention and purged with the case),
/// redacts it, tells the moderators in the case room and audits <c>threshold.redacted</c>. Every step is idempotent (the
/// first preservation stands, the redaction and the notice have txnIds derived from the event), and the audit line marks
/// the event done, so a redelivery of the queue message finishes a run that died and does nothing once it is done.
/// A failed redaction is audited, told to the moderators once and thrown, so the queue retries it.
/// </summary>
public sealed class ThresholdRedactions(
    ICaseStore cases,
    ICaseWriteStore writes,
    IMatrixBot bot,
    IRoomProtection protection,
    ModeratorDirectory moderators,
    IEvidenceStore evidence,
    EscalationSettings escalation,
    TimeProvider time,
    CacheLimits limits)
{
    // A raid's every event reaches two reporters: one read of the room's setting serves them for a while, as a read of
    // its moderators does, and the setting's own state event, when the bot sees it, is read again at once (Forget).
    private readonly ExpiringCache<RoomId, ThresholdRead> _read = new(limits.ModeratorRooms, time);

    private sealed record ThresholdRead(int? Reporters);

    /// <summary>Drops the remembered setting of <paramref name="room"/>, e.g. when its state event changed.</summary>
    public void Forget(RoomId room) => _read.Remove(room);

    private async Task<int?> ThresholdOfAsync(RoomId room, CancellationToken cancellationToken)
    {
        if (_read.TryGet(room, out var read))
        {
            return read.Reporters;
        }
        var reporters = ThresholdSetting.Parse(await bot.GetStateAsync(room, ThresholdSetting.EventType, "", cancellationToken));
        _read.Set(room, new ThresholdRead(reporters), ModeratorDirectory.RememberFor);
        return reporters;
    }

    public const string Redacted = "threshold.redacted";
    public const string Failed = "threshold.failed";
    public const string Skipped = "threshold.skipped";

    /// <summary>The case's events that reached their room's threshold and are not hidden yet are hidden now.</summary>
    public async Task ApplyAsync(CaseId id, CancellationToken cancellationToken = default)
    {
        // Runs after every report: a case with fewer distinct reporters than any threshold (most cases) reads no reports.
        if (await cases.GetCaseAsync(id, cancellationToken) is not { Target: ReportTarget.Event } c
            || c.ReporterCount < ThresholdSetting.Minimum)
        {
            return;
        }
        var reports = await cases.GetReportsAsync(id, cancellationToken);
        // No event with reporters enough for any threshold: no homeserver request.
        var candidates = ReportedEvents.Of(reports).Events.Where(e => e.Reporters >= ThresholdSetting.Minimum).ToList();
        if (candidates.Count == 0)
        {
            return;
        }
        var audit = await cases.GetAuditAsync(id, cancellationToken);
        foreach (var room in candidates.GroupBy(e => e.RoomId))
        {
            if (!await protection.IsProtectedAsync(room.Key, cancellationToken))
            {
                continue;
            }
            var threshold = await ThresholdOfAsync(room.Key, cancellationToken);
            foreach (var reported in room)
            {
                var target = reports.Select(r => r.Target).OfType<ReportTarget.Event>().First(t => t.EventId == reported.EventId);
                await ConsiderAsync(c, target, reported, threshold, audit, cancellationToken);
            }
        }
    }

    /// <summary>The events of the case that the rule hid and no moderator has restored since, as kept.</summary>
    public async Task<IReadOnlyList<KeptEvent>> HiddenAsync(Case c, CancellationToken cancellationToken = default)
    {
        var audit = await cases.GetAuditAsync(c.Id, cancellationToken);
        var hidden = audit.Where(a => a.Action == Redacted && a.Detail is not null).Select(a => a.Detail!.Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
        hidden.ExceptWith(audit.Where(a => a.Action == "action.restore" && a.Detail is not null)
            .SelectMany(a => a.Detail!.Split(' ')).Where(w => w.StartsWith('$')));
        if (hidden.Count == 0)
        {
            return [];
        }
        var rooms = (await cases.GetReportsAsync(c.Id, cancellationToken)).Select(r => r.Target).OfType<ReportTarget.Event>()
            .DistinctBy(t => t.EventId).ToDictionary(t => t.EventId.Value, t => t.RoomId, StringComparer.Ordinal);
        return [.. (await evidence.GetAsync(c.Id, cancellationToken))
            .Where(i => hidden.Contains(i.Item) && rooms.ContainsKey(i.Item))
            .Select(i => KeptEvent.From(i, rooms[i.Item]))
            .OfType<KeptEvent>()];
    }

    public static bool IsHidden(IEnumerable<AuditEntry> audit, EventId eventId) =>
        audit.Any(a => a.Action == Redacted && a.Detail?.StartsWith(eventId.Value + " ", StringComparison.Ordinal) == true);

    private async Task ConsiderAsync(Case c, ReportTarget.Event target, ReportedEvent reported, int? threshold,
        IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken)
    {
        var hidden = IsHidden(audit, target.EventId);
        var reached = threshold is { } n && reported.Reporters >= n && !hidden;
        var senderIsModerator = reached && (await moderators.ForReadingAsync(target.RoomId, cancellationToken)).Contains(target.Sender);
        switch (ThresholdDecision.Decide(reported, threshold, hidden, senderIsModerator))
        {
            case ThresholdVerdict.SenderIsModerator:
                await SkipOnceAsync(c, target, audit, "sent by a moderator of the room; left for the moderators", cancellationToken);
                return;
            case ThresholdVerdict.Hide:
                await HideAsync(c, target, reported.Reporters, threshold!.Value, audit, cancellationToken);
                return;
        }
    }

    private async Task HideAsync(Case c, ReportTarget.Event target, int reporters, int threshold, IReadOnlyList<AuditEntry> audit,
        CancellationToken cancellationToken)
    {
        if (await KeepAsync(c, target, cancellationToken) is not { } kept)
        {
            await SkipOnceAsync(c, target, audit, "the bot cannot see the event (404); nothing kept, nothing redacted", cancellationToken);
            return;
        }
        var reason = $"Hidden pending moderator review after {Counted.Of(reporters, "report")}";
        try
        {
            await bot.RedactAsync(target.RoomId, target.EventId, CaseTxn.For(c.Id, "threshold", CaseTxn.EventKey(target.EventId)), reason, cancellationToken);
        }
        catch (MatrixException e) when (e.Error.Status != 404)
        {
            await AuditAsync(c, Failed, $"{target.EventId} {e.Error.ErrCode} ({e.Error.Status})", cancellationToken);
            await TellAsync(c, "threshold-failed", target,
                $"{Counted.Of(reporters, "member")} reported a message of {target.Sender} in {target.RoomId} (the room's threshold is {threshold}), " +
                $"but I could not hide it: the homeserver answered {e.Error.ErrCode} ({e.Error.Status}). {bot.UserId} needs the power to redact " +
                "there; I will try again.", cancellationToken);
            throw;
        }
        await TellAsync(c, "threshold", target,
            $"Hidden pending your review: a message of {target.Sender} in {target.RoomId} reached the room's threshold of " +
            $"{Counted.Of(threshold, "reporter")} ({reporters} so far), so I kept its text with this case and redacted it. " +
            $"If it should stay, {RestoreCommand(c)} re-posts it in the room, attributed to its sender." + Quote(c, KeptEvent.From(kept, target.RoomId)),
            cancellationToken);
        await AuditAsync(c, Redacted, $"{target.EventId} reporters={reporters} threshold={threshold}", cancellationToken);
    }

    /// <summary>The command as the room the notice goes to takes it: an incident room holds many cases, so it names this one.</summary>
    private static string RestoreCommand(Case c) => c.CaseRoom is null && c.Incident is not null ? $"!restore {c.Id.Short}" : "!restore";

    /// <summary>
    /// The kept text for the moderators' review (the redacted event shows them nothing): never for a child-safety case, whose
    /// content is never shown in a room, and never media.
    /// </summary>
    private static string Quote(Case c, KeptEvent? kept) => c.Category is { IsChildSafety: true }
        ? " Content withheld: child-safety reports show no content here."
        : kept is { IsText: true, Body: { } body }
            ? $"\nIt said ({kept.SentAtText}): {(body.Length > CaseSummary.MaxReasonLength ? body[..CaseSummary.MaxReasonLength] + "…" : body)}"
            : $" It was not text ({kept?.MsgType ?? "unknown"}); only its JSON is kept.";

    /// <summary>The event as the bot fetches it now, kept with the case; an earlier keeping stands. Null when the bot cannot see it.</summary>
    private async Task<EvidenceItem?> KeepAsync(Case c, ReportTarget.Event target, CancellationToken cancellationToken)
    {
        var kept = (await evidence.GetAsync(c.Id, cancellationToken)).FirstOrDefault(i => i.Item == target.EventId.Value);
        if (kept is not null)
        {
            return kept;
        }
        if (await bot.GetEventJsonAsync(target.RoomId, target.EventId, cancellationToken) is not { } json)
        {
            return null;
        }
        var content = json.ToJsonString();
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
        var now = time.GetUtcNow();
        var reportedAt = (await cases.GetReportsAsync(c.Id, cancellationToken))
            .Where(r => r.Target is ReportTarget.Event e && e.EventId == target.EventId).Select(r => r.ReceivedAt).DefaultIfEmpty(now).Min();
        return await evidence.PreserveAsync(new EvidenceItem(c.Id, target.EventId.Value, content, sha, reportedAt, now, now,
            now + escalation.EvidenceRetention), cancellationToken);
    }

    private async Task SkipOnceAsync(Case c, ReportTarget.Event target, IReadOnlyList<AuditEntry> audit, string why, CancellationToken cancellationToken)
    {
        if (!audit.Any(a => a.Action == Skipped && a.Detail?.StartsWith(target.EventId.Value + " ", StringComparison.Ordinal) == true))
        {
            await AuditAsync(c, Skipped, $"{target.EventId} {why}", cancellationToken);
        }
    }

    /// <summary>A notice in the case room (or the incident room a gathered case is listed in), sent once per event and purpose.</summary>
    private async Task TellAsync(Case c, string purpose, ReportTarget.Event target, string text, CancellationToken cancellationToken)
    {
        if ((c.CaseRoom ?? c.Incident) is not { } room)
        {
            return;
        }
        try
        {
            await bot.SendMessageAsync(room, CaseTxn.For(c.Id, purpose, CaseTxn.EventKey(target.EventId)), new MatrixMessage(text), cancellationToken);
        }
        catch (MatrixException e)
        {
            await AuditAsync(c, "reply.failed", $"{e.Error.ErrCode} ({e.Error.Status})", cancellationToken);
        }
    }

    private Task AuditAsync(Case c, string action, string detail, CancellationToken cancellationToken) =>
        writes.AppendAuditAsync([new AuditEntry(c.Id, time.GetUtcNow(), AuditEntry.System, action, detail)], cancellationToken);
}
