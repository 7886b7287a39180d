using System.Text.Json.Nodes;
using Relay.Core.Appservice;
using Relay.Core.Cases;
using Relay.Core.Cases.Actions;
using Relay.Core.Cases.Rooms;
using Relay.Core.Errors;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Core.Moderation;
using Relay.Core.Queue;
using Relay.Core.Reports;
using EventId = Relay.Core.Identifiers.EventId;

namespace Relay.Host.Appservice;

/// <summary>
/// Acts on the events of one transaction. Reports are filed (stored) here, before the transaction is
/// acknowledged; joining, redacting and messaging go to the queue. Everything is safe to repeat: reports
/// carry an idempotency key derived from the triggering event, queue messages deterministic ids.
/// A 4xx from the homeserver about one event skips that event; a 5xx or store failure throws, so the
/// homeserver retries the whole transaction.
/// </summary>
public sealed class TransactionProcessor(
    IMatrixBot bot,
    ReportIntake intake,
    IProtectedRoomStore protectedRooms,
    IDirectRoomStore directRooms,
    ICaseQueue queue,
    CaseRoomEvents caseRooms,
    CaseFollowUp followUps,
    ILogger<TransactionProcessor> logger)
{
    public async Task ProcessAsync(IReadOnlyList<AppserviceEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            try
            {
                await ProcessAsync(e, cancellationToken);
            }
            catch (MatrixException ex) when (ex.Error.Status is >= 400 and < 500 and not 429)
            {
                logger.LogInformation("Skipped event {EventId}: the homeserver answered {ErrCode} ({Status})",
                    e.EventId, ex.Error.ErrCode, ex.Error.Status);
            }
        }
    }

    private Task ProcessAsync(AppserviceEvent e, CancellationToken cancellationToken) => e switch
    {
        AppserviceEvent.BotMembership m => MembershipAsync(m, cancellationToken),
        AppserviceEvent.FlagReaction r => InRoomReportAsync(r, r.Target, null, ReportSource.Reaction, cancellationToken),
        AppserviceEvent.ReportCommand c => InRoomReportAsync(c, c.Target, c.Reason, ReportSource.Command, cancellationToken),
        AppserviceEvent.LinkMessage l => DirectMessageAsync(l, cancellationToken),
        AppserviceEvent.FollowUpCommand f => FollowUpAsync(f, cancellationToken),
        AppserviceEvent.CaseRoomCandidate c => caseRooms.HandleAsync(c.Event, cancellationToken),
        _ => Task.CompletedTask,
    };

    private async Task MembershipAsync(AppserviceEvent.BotMembership m, CancellationToken cancellationToken)
    {
        switch (m.Membership)
        {
            case "invite":
                await queue.EnqueueAsync(
                    new BotInvited(m.Room.Value, m.Sender.Value, m.EventId.Value, m.IsDirect, StrippedStateRefuses(m)).ToMessage(),
                    cancellationToken);
                break;
            case "leave" or "ban":
                await protectedRooms.UnprotectAsync(m.Room, cancellationToken);
                await directRooms.ForgetAsync(m.Room, cancellationToken);
                logger.LogInformation("The bot left {RoomId} ({Membership}); it is no longer protected", m.Room, m.Membership);
                break;
        }
    }

    private async Task InRoomReportAsync(AppserviceEvent trigger, EventId target, string? reason, ReportSource source,
        CancellationToken cancellationToken)
    {
        if (!await protectedRooms.IsProtectedAsync(trigger.Room, cancellationToken))
        {
            return;
        }
        var reported = await bot.GetEventAsync(trigger.Room, target, cancellationToken);
        if (reported is null)
        {
            await FollowUpAsync(trigger, redact: true, null, "not_found", null, cancellationToken);
            return;
        }
        var outcome = await FileAsync(trigger, reported, reason, source, cancellationToken);
        await FollowUpAsync(trigger, redact: true, outcome.CaseId, outcome.Problem, null, cancellationToken);
    }

    private async Task DirectMessageAsync(AppserviceEvent.LinkMessage message, CancellationToken cancellationToken)
    {
        if (!await IsDirectWithBotAsync(message.Room, message.Sender, cancellationToken))
        {
            return;
        }
        if (!MatrixToLink.TryFind(message.Body, out var link, out var reason))
        {
            await FollowUpAsync(message, redact: false, null, "no_link", message.Room, cancellationToken);
            return;
        }
        var room = link.RoomIdOrAlias.StartsWith('#') && RoomAlias.TryParse(link.RoomIdOrAlias, out var alias)
            ? await bot.ResolveAliasAsync(alias, cancellationToken)
            : RoomId.TryParse(link.RoomIdOrAlias, out var id) ? id : (RoomId?)null;
        if (room is not { } reportedRoom || !await protectedRooms.IsProtectedAsync(reportedRoom, cancellationToken))
        {
            await FollowUpAsync(message, redact: false, null, "not_protected", message.Room, cancellationToken);
            return;
        }
        var membership = await bot.GetStateAsync(reportedRoom, "m.room.member", message.Sender.Value, cancellationToken);
        if ((string?)membership?["membership"] != "join")
        {
            await FollowUpAsync(message, redact: false, null, "not_member", message.Room, cancellationToken);
            return;
        }
        var reported = await bot.GetEventAsync(reportedRoom, link.EventId, cancellationToken);
        if (reported is null)
        {
            await FollowUpAsync(message, redact: false, null, "not_found", message.Room, cancellationToken);
            return;
        }
        var outcome = await FileAsync(message, reported, reason, ReportSource.DirectMessage, cancellationToken);
        await FollowUpAsync(message, redact: false, outcome.CaseId, outcome.Problem, message.Room, cancellationToken);
    }

    /// <summary>A reporter opts in to follow their case; only in their DM with the bot, and only for a case they reported into.</summary>
    private async Task FollowUpAsync(AppserviceEvent.FollowUpCommand command, CancellationToken cancellationToken)
    {
        if (!await IsDirectWithBotAsync(command.Room, command.Sender, cancellationToken))
        {
            return;
        }
        if (!CaseId.TryParse(command.CaseReference?.ToUpperInvariant(), out var caseId))
        {
            await FollowUpAsync(command, redact: false, null, "followup_usage", command.Room, cancellationToken);
            return;
        }
        var outcome = await followUps.OptInAsync(caseId, command.Sender, cancellationToken);
        var problem = outcome switch
        {
            FollowUpOutcome.OptedIn => "followup_ok",
            FollowUpOutcome.Closed => "followup_closed",
            _ => "followup_not_yours",
        };
        await FollowUpAsync(command, redact: false, caseId.Value, problem, command.Room, cancellationToken);
    }

    /// <summary>A DM is a room recorded as the sender's DM with the bot, or any unprotected room of just the two of them.</summary>
    private async Task<bool> IsDirectWithBotAsync(RoomId room, UserId sender, CancellationToken cancellationToken)
    {
        if (await directRooms.FindUserAsync(room, cancellationToken) is { } user)
        {
            return user == sender;
        }
        if (await protectedRooms.IsProtectedAsync(room, cancellationToken))
        {
            return false;
        }
        var members = await bot.GetJoinedMembersAsync(room, cancellationToken);
        return members.Count == 2 && members.Contains(sender) && members.Contains(bot.UserId);
    }

    private async Task<(string? CaseId, string? Problem)> FileAsync(AppserviceEvent trigger, RoomEvent reported, string? reason,
        ReportSource source, CancellationToken cancellationToken)
    {
        var target = new ReportTarget.Event(reported.RoomId, reported.EventId, reported.Sender, reported.Type);
        // The triggering event's id as the client transaction: a replayed transaction files nothing new.
        var submission = new ReportSubmission(Reporter.Matrix(trigger.Sender), target, null, reason, source,
            $"appservice:{trigger.EventId.Value}");
        var outcome = await intake.FileAsync(submission, cancellationToken);
        switch (outcome)
        {
            case IntakeOutcome.Filed filed:
                logger.LogInformation("Report {ReportId} filed into case {CaseId} (new case: {OpenedCase}, source {Source})",
                    filed.Report.Id, filed.Case.Id, filed.OpenedCase, source);
                return (filed.Case.Id.Value, null);
            case IntakeOutcome.Replayed replayed:
                return (replayed.Report.CaseId.Value, null);
            default:
                return (null, "rate_limited");
        }
    }

    private Task FollowUpAsync(AppserviceEvent trigger, bool redact, string? caseId, string? problem, RoomId? replyRoom,
        CancellationToken cancellationToken) =>
        queue.EnqueueAsync(new ReportFollowUp(trigger.Room.Value, trigger.EventId.Value, trigger.Sender.Value, redact, caseId, problem,
            replyRoom?.Value).ToMessage(), cancellationToken);

    /// <summary>
    /// The invite's stripped state is not to be trusted, so it can only save a pointless join: when it holds
    /// both the create and power-levels events and they say the inviter is no moderator, decline at once.
    /// </summary>
    private static bool StrippedStateRefuses(AppserviceEvent.BotMembership m) =>
        m.StrippedCreate is { } create && m.StrippedPowerLevels is { } powerLevels
        && UserId.TryParse((string?)create["sender"], out var creator)
        && !ModeratorRule.IsModerator(m.Sender, RoomCreateFacts.From(creator, create["content"] as JsonObject),
            powerLevels["content"] as JsonObject);
}
