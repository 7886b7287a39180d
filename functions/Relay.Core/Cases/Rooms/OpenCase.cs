using System.Text.Json.Nodes;
using Relay.Core.Cases.Threshold;
using Relay.Core.Errors;
using Relay.Core.Escalation;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Core.Queue;
using Relay.Core.Reports;
using Relay.Core.Text;

namespace Relay.Core.Cases.Rooms;

/// <summary>
/// The handler of <c>report.received</c>: opens the case's private room with the reported room's
/// moderators and posts the summary, or, for a case that already has its room, edits the summary to
/// count the new reporter. Each step is idempotent (a deterministic alias per case, membership checked
/// before inviting, deterministic txnIds), so a run that died anywhere is finished by the next delivery
/// and nothing is created twice. First of all it reviews the case against the escalation policy (tier-1 deadline,
/// category and reporter-count triggers), so a child-safety case reaches the hosting provider and the authorities even
/// while the homeserver is down.
/// </summary>
public sealed class OpenCase(
    ICaseStore cases,
    ICaseWriteStore writes,
    IMatrixBot bot,
    ModeratorDirectory moderators,
    CaseMembership membership,
    CaseAnnouncer announcer,
    CaseRoomSettings settings,
    Escalator escalator,
    CaseRoomBudget budget,
    IncidentRooms incidents,
    ThresholdRedactions threshold,
    TimeProvider time) : IQueueHandler
{
    public string Topic => Topics.ReportReceived;

    private readonly CaseKeyTurns _editing = new(stripes: 256);

    /// <summary>The alias localpart of a case room, in the bot's namespace: <c>{bot localpart}-case-{lowercase case id}</c>.</summary>
    public static string AliasLocalpart(UserId bot, CaseId id) => $"{bot.Localpart}-case-{id.Value.ToLowerInvariant()}";

    public async Task HandleAsync(QueueDelivery delivery, CancellationToken cancellationToken)
    {
        var body = ReportReceived.FromMessage(delivery.Message);
        if (body is null || !CaseId.TryParse(body.CaseId, out var id))
        {
            throw new FormatException($"Message {delivery.Message.Id} carries no valid case_id.");
        }
        try
        {
            await OpenAsync(id, escalator.Review, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && (delivery.IsLastAttempt || IsPermanent(e)))
        {
            // Recorded before the queue gives up, so the case's own history says why it has no room.
            var last = delivery.IsLastAttempt ? ", the last" : "";
            await writes.AppendAuditAsync([new AuditEntry(id, time.GetUtcNow(), AuditEntry.System, "case_room.failed",
                $"delivery {delivery.DeliveryCount}{last}: {Describe(e)}")], cancellationToken);
            throw;
        }
        // After the room, so the moderators are told where they already meet the case. A failed redaction throws on its
        // own (audited as threshold.failed), and the queue's retry redoes only what is left.
        await threshold.ApplyAsync(id, cancellationToken);
    }

    /// <summary>Brings the case room up to date with the stored case; safe to run any number of times.</summary>
    public Task OpenAsync(CaseId id, CancellationToken cancellationToken) => OpenAsync(id, _ => null, cancellationToken);

    /// <summary>
    /// As <see cref="OpenAsync(CaseId, CancellationToken)"/>, writing <paramref name="review"/> (the escalation review's
    /// edit) first of all: with the case room's record when the room is new, else on its own. A homeserver that fails
    /// does not hold it up, so a child-safety case reaches the hosting provider and the authorities even while the
    /// homeserver is down.
    /// </summary>
    private async Task OpenAsync(CaseId id, Func<Case, CaseEdit?> review, CancellationToken cancellationToken)
    {
        if (await cases.GetCaseAsync(id, cancellationToken) is not { } c)
        {
            return;
        }
        if (c.CaseRoom is not null || c.IsGathered || !c.State.IsOpen())
        {
            c = await CaseUpdates.ApplyAsync(cases, writes, id, review, cancellationToken, known: c);
            if (c is { IsGathered: true, CaseRoom: null } && c.State.IsOpen())
            {
                await incidents.RefreshAsync(c, cancellationToken);
            }
            if (c?.CaseRoom is null)
            {
                return;
            }
            await FinishAsync(c, null, cancellationToken);
            return;
        }
        await OpenRoomAsync(c, review, cancellationToken);
    }

    /// <summary>For an open case without a room: creates it, records it (with the review) and posts the summary.</summary>
    private async Task OpenRoomAsync(Case c, Func<Case, CaseEdit?> review, CancellationToken cancellationToken)
    {
        var check = await budget.CheckAsync(c, cancellationToken);
        if (!check.HasRoom)
        {
            await GatherAsync(c, review, check, cancellationToken);
            return;
        }
        var id = c.Id;
        // Independent waits at once: the room's creation, the reported room's moderators (read from that room's
        // state, not the case room's), the reason the summary shows, and a review that escalates. In sequence they
        // were most of the time between the report's 200 and its summary. The homeserver requests start first:
        // SQLite's async calls complete synchronously, so store work started first would finish before they left.
        var creating = CreateOrFindRoomAsync(c, cancellationToken);
        var resolving = moderators.ForNewCaseAsync(c.Target, cancellationToken);
        var reasoning = ReportsAsync(id, cancellationToken);
        // A review that climbs a tier (a child-safety category, enough reporters) is written at once, without
        // waiting on the homeserver's retries; one that only schedules the deadline goes with the room's record.
        var escalating = review(c)?.Updated.Tier > c.Tier
            ? CaseUpdates.ApplyAsync(cases, writes, id, review, cancellationToken, known: c)
            : null;
        try
        {
            await Task.WhenAll(escalating ?? Task.CompletedTask, creating, resolving, reasoning);
        }
        catch (Exception e) when (e is not OperationCanceledException && escalating is null)
        {
            await CaseUpdates.ApplyAsync(cases, writes, id, review, cancellationToken, known: c);
            throw;
        }
        var (room, created) = await creating;
        // The room's record (with the review, unless written above) is decided on the case in hand; a stale one costs a retry.
        var recorded = await CaseUpdates.ApplyAsync(cases, writes, id, current => RecordRoom(review(current), current, room, check),
            cancellationToken, known: escalating is null ? c : await escalating);
        if (recorded is not null)
        {
            await FinishAsync(recorded, new Opening(await resolving, reasoning, created), cancellationToken);
        }
    }

    /// <summary>The review's edit, if any, with the case room recorded on top of it; null when there is nothing to write.</summary>
    private CaseEdit? RecordRoom(CaseEdit? reviewed, Case current, RoomId room, BudgetCheck check)
    {
        var basis = reviewed?.Updated ?? current;
        if (basis.CaseRoom is not null)
        {
            return reviewed;
        }
        return new CaseEdit(basis with { CaseRoom = room, UpdatedAt = time.GetUtcNow() },
            [.. reviewed?.Audit ?? [], Audit(current.Id, "case_room.opened", $"{room.Value} {check}")],
            [.. reviewed?.Outbox ?? []]);
    }

    /// <summary>
    /// Past the budget: the case is recorded as gathered into its incident (with the review) and the incident's summary
    /// lists it. It keeps no room of its own, even once the hour has passed, so moderators meet it in one place only.
    /// </summary>
    private async Task GatherAsync(Case c, Func<Case, CaseEdit?> review, BudgetCheck check, CancellationToken cancellationToken)
    {
        var incident = await incidents.RoomForAsync(c, cancellationToken);
        var recorded = await CaseUpdates.ApplyAsync(cases, writes, c.Id, current =>
        {
            var reviewed = review(current);
            var basis = reviewed?.Updated ?? current;
            if (basis.CaseRoom is not null || basis.IsGathered)
            {
                return reviewed;
            }
            return new CaseEdit(basis with { Incident = incident, UpdatedAt = time.GetUtcNow() },
                [.. reviewed?.Audit ?? [], Audit(current.Id, "case_room.gathered", $"{check} incident={incident.Value}")],
                [.. reviewed?.Outbox ?? []]);
        }, cancellationToken, known: c);
        if (recorded is { IsGathered: true, CaseRoom: null })
        {
            await incidents.RefreshAsync(recorded, cancellationToken);
        }
    }

    /// <summary>What this delivery already knows about a room it just opened or found.</summary>
    /// <param name="Moderators">The reported room's moderators, resolved while the room was created.</param>
    /// <param name="Reasoning">The case's reports (the summary's reason, events and contacts), being read while the room was created.</param>
    /// <param name="RoomIsNew">True when this delivery created the room, so nobody but the bot is in it yet.</param>
    private sealed record Opening(ModeratorSet Moderators, Task<IReadOnlyList<Report>> Reasoning, bool RoomIsNew);

    /// <summary>
    /// Posts the summary if it is missing, or edits it when more reports came since (a new reporter, or another event
    /// of the offender). Deliveries queued behind one another find the latest edit already shows their report, so a
    /// burst of reports costs fewer edits than reports.
    /// </summary>
    private async Task FinishAsync(Case c, Opening? opening, CancellationToken cancellationToken)
    {
        if (c.SummaryEvent is null)
        {
            await FinishOpeningAsync(c, opening, cancellationToken);
        }
        else if (c.ReportCount > c.SummaryRevision)
        {
            await EditSummaryAsync(c, cancellationToken);
        }
    }

    /// <param name="opening">What this delivery learnt opening the room, or null when an earlier one opened it.</param>
    private async Task FinishOpeningAsync(Case c, Opening? opening, CancellationToken cancellationToken)
    {
        var room = c.CaseRoom!.Value;
        var set = opening?.Moderators ?? await moderators.ForTargetAsync(c.Target, cancellationToken);
        var audit = new List<AuditEntry>
        {
            Audit(c.Id, "moderators.resolved", $"source={set.Source} count={set.Users.Count}"),
        };
        if (set.Note is not null)
        {
            audit.Add(Audit(c.Id, "moderators.fallback", set.Note));
        }
        if (set.Users.Count == 0 && membership.InvitesModerators)
        {
            audit.Add(Audit(c.Id, "moderators.none", "nobody to invite; set Relay__Community__Moderators__0 or give the room moderators"));
        }

        // The invites (then their audit lines), the moderators' room announcement and the summary do not depend on one
        // another: with shared history an invitee reads the summary whenever it was sent. All three are awaited before
        // the summary is recorded, and each is idempotent (audit lines aside, deterministic txnIds), so a failure of
        // any retries all. The sends start first, for the same reason as in OpenAsync.
        var shown = c.ReportCount;
        var reports = await (opening?.Reasoning ?? ReportsAsync(c.Id, cancellationToken));
        if (reports.Count < shown)
        {
            // Reports filed while the room was being made are in the case's counts but not in a list read before them:
            // without them the summary would count their events without listing them, and no edit would follow.
            reports = await ReportsAsync(c.Id, cancellationToken);
        }
        var sending = SendSummaryAsync(c, room, reports, cancellationToken);
        var invited = InviteAndAuditAsync(c, set, opening?.RoomIsNew ?? false, audit, cancellationToken);
        var announced = announcer.AnnounceAsync(c, "opened",
            $"New case {c.Id.Short} ({HarmCategory.LabelOf(c.Category)}, {Counted.Of(c.ReporterCount, "reporter")})", cancellationToken);
        await Task.WhenAll(invited, announced, sending);
        var summary = await sending;
        await CaseUpdates.ApplyAsync(cases, writes, c.Id, current => current.SummaryEvent is not null ? null : new CaseEdit(
            current with { SummaryEvent = summary, SummaryRevision = shown, UpdatedAt = time.GetUtcNow() },
            [Audit(c.Id, "summary.posted", $"distinct_reporters={c.ReporterCount} reports={shown}")]), cancellationToken, known: c);
    }

    private async Task InviteAndAuditAsync(Case c, ModeratorSet set, bool roomIsNew, List<AuditEntry> audit,
        CancellationToken cancellationToken)
    {
        audit.AddRange(await membership.InviteAsync(c, set, roomIsNew, cancellationToken));
        await writes.AppendAuditAsync(audit, cancellationToken);
    }

    private async Task<EventId> SendSummaryAsync(Case c, RoomId room, IReadOnlyList<Report> reports, CancellationToken cancellationToken)
    {
        var text = CaseSummary.Render(c, reports, EscalationLine(c), CaseSummary.Contacts(reports), settings);
        return await bot.SendMessageAsync(room, CaseTxn.For(c.Id, "summary", 0), text, cancellationToken);
    }

    /// <summary>
    /// One edit of a case's summary at a time on an instance, deciding on the case read inside the turn: on Azure an
    /// instance handles up to four queue messages at once (host.json), and of two edits each claiming the count it read,
    /// the one that read first could land last, leaving the summary a report behind until the next report.
    /// </summary>
    private async Task EditSummaryAsync(Case known, CancellationToken cancellationToken)
    {
        using var turn = await _editing.TakeAsync(known.Id.Value, cancellationToken);
        if (await cases.GetCaseAsync(known.Id, cancellationToken) is not { SummaryEvent: not null, CaseRoom: not null } c
            || c.ReportCount <= c.SummaryRevision)
        {
            return;
        }
        var reports = await ReportsAsync(c.Id, cancellationToken);
        // The reports just read may be ahead of the case in hand; the edit claims only what the case counts.
        var shown = c.ReportCount;
        var edit = CaseSummary.Edit(c.SummaryEvent!.Value, CaseSummary.Render(c, reports, EscalationLine(c), CaseSummary.Contacts(reports), settings));
        await bot.SendEventAsync(c.CaseRoom!.Value, "m.room.message", CaseTxn.For(c.Id, "summary-edit", shown), edit, cancellationToken);
        await CaseUpdates.ApplyAsync(cases, writes, c.Id, current => current.SummaryRevision >= shown ? null : new CaseEdit(
            current with { SummaryRevision = shown, UpdatedAt = time.GetUtcNow() },
            [Audit(c.Id, "summary.edited", $"distinct_reporters={c.ReporterCount} reports={shown}")]), cancellationToken);
    }

    /// <summary>
    /// Creates the room under the case's alias (Created true); if the alias exists, an earlier attempt made the room:
    /// use it (Created false).
    /// </summary>
    private async Task<(RoomId Room, bool Created)> CreateOrFindRoomAsync(Case c, CancellationToken cancellationToken)
    {
        var localpart = AliasLocalpart(bot.UserId, c.Id);
        try
        {
            return (await bot.CreateRoomAsync(Request(c, localpart), cancellationToken), true);
        }
        catch (MatrixException e) when (e.Error.ErrCode == "M_ROOM_IN_USE")
        {
            if (RoomAlias.TryParse($"#{localpart}:{bot.UserId.Server}", out var alias)
                && await bot.ResolveAliasAsync(alias, cancellationToken) is { } existing)
            {
                return (existing, false);
            }
            throw;
        }
    }

    private RoomCreation Request(Case c, string aliasLocalpart)
    {
        var joinRule = settings.ModeratorsRoom is { } moderatorsRoom
            ? new JsonObject
            {
                ["join_rule"] = "restricted",
                ["allow"] = new JsonArray(new JsonObject { ["type"] = "m.room_membership", ["room_id"] = moderatorsRoom.Value }),
            }
            : new JsonObject { ["join_rule"] = "invite" };
        return new RoomCreation
        {
            Preset = "private_chat",
            Visibility = "private",
            RoomAliasName = aliasLocalpart,
            Name = $"Report {c.Id.Short}",
            Topic = $"Relay case {c.Id}: for the {(c.Target.Room is null ? "community moderators" : "moderators of the reported room")}. "
                + "Reporters are never named here.",
            // Restricted joins need room version 8 or later; 10 is the one case rooms are tested with.
            RoomVersion = settings.ModeratorsRoom is null ? null : "10",
            CreationContent = CreationContent(c.Target),
            InitialState =
            [
                new InitialStateEvent("m.room.join_rules", joinRule),
                // "shared": whoever is let in later (community admins at tier 2, a new moderator) must read the case from
                // its summary on, and only members read a room that is not world_readable. "joined" or "invited" would hide
                // everything sent before their join or invite.
                new InitialStateEvent("m.room.history_visibility", new JsonObject { ["history_visibility"] = "shared" }),
                new InitialStateEvent("m.room.guest_access", new JsonObject { ["guest_access"] = "forbidden" }),
            ],
            // The bot keeps the only high power level, so it can remove a moderator who loses the role (MSC4226
            // suggests 100 for moderators; then nobody could). Moderators talk and react at the default 0.
            PowerLevelContentOverride = new JsonObject
            {
                ["users"] = new JsonObject { [bot.UserId.Value] = 100 },
                ["users_default"] = 0,
                ["events_default"] = 0,
                ["state_default"] = 50,
                ["invite"] = 50,
                ["kick"] = 50,
                ["ban"] = 50,
                ["redact"] = 50,
            },
        };
    }

    /// <summary>
    /// MSC4226: the room type and the <c>m.report.*</c> mixin naming the entity. No reason here: the create
    /// event can never be redacted, and the summary carries the reason where child-safety rules apply.
    /// </summary>
    private static JsonObject CreationContent(ReportTarget target)
    {
        var content = new JsonObject { ["type"] = RoomModerators.ReportRoomType };
        switch (target)
        {
            case ReportTarget.Event e:
                content[RoomModerators.ReportRoomType + ".event"] = new JsonObject
                {
                    ["entity"] = e.EventId.Value,
                    ["room_id"] = e.RoomId.Value,
                    ["sender"] = e.Sender.Value,
                };
                break;
            case ReportTarget.RoomTarget r:
                content[RoomModerators.ReportRoomType + ".room"] = new JsonObject { ["entity"] = r.RoomId.Value };
                break;
            case ReportTarget.UserTarget u:
                content[RoomModerators.ReportRoomType + ".user"] = new JsonObject { ["entity"] = u.UserId.Value };
                break;
        }
        return content;
    }

    /// <summary>Which tier the case is at and when the next one is due (tier changes post their own notices).</summary>
    private string EscalationLine(Case c)
    {
        var policy = escalator.Policy;
        var line = $"Escalation: tier {c.Tier} of {policy.Tiers.Count} ({policy.Tier(c.Tier)?.Name ?? "unknown"})";
        return c.NextDueAt is { } due && policy.Tier(c.Tier + 1) is { } next && c.State is CaseState.Open or CaseState.Escalated
            ? $"{line}; next: tier {next.Number} ({next.Name}) at {Escalator.Time(due)} unless acknowledged"
            : line;
    }

    private async Task<IReadOnlyList<Report>> ReportsAsync(CaseId id, CancellationToken cancellationToken) =>
        await cases.GetReportsAsync(id, cancellationToken);

    private AuditEntry Audit(CaseId id, string action, string? detail) => new(id, time.GetUtcNow(), AuditEntry.System, action, detail);

    private static bool IsPermanent(Exception e) =>
        e is MatrixException m && m.Error.Status is >= 400 and < 500 && m.Error.Status != 429;

    /// <summary>The homeserver's errcode and status, never report content (exception messages of the store may hold some).</summary>
    private static string Describe(Exception e) => e is MatrixException m
        ? $"{m.Error.ErrCode} ({m.Error.Status}): {m.Error.Message}"
        : e.GetType().Name;
}
