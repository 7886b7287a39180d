using Microsoft.Extensions.Options;
using Relay.Core.Appservice;
using Relay.Core.Cases.Rooms;
using Relay.Core.Identifiers;
using Relay.Core.Reports;
using Relay.Host.Configuration;

namespace Relay.Host.Appservice;

/// <summary>
/// Tells the operator, in the log, who will hear about reports. A report about a room Relay does not protect is
/// answered 200 and opens a case, but the bot cannot read who moderates that room, so the case room reaches only the
/// community moderators: nobody, when none are configured. That used to show only in the case's audit trail.
/// </summary>
public sealed class ProtectionNotices(
    IProtectedRoomStore protectedRooms,
    CaseRoomSettings caseRooms,
    IOptions<RelayOptions> options,
    ILogger<ProtectionNotices> logger) : IRoomProtection
{
    /// <summary>Warns when <paramref name="outcome"/> opened a case about a room Relay does not protect.</summary>
    public async Task WarnIfUnprotectedAsync(IntakeOutcome outcome, CancellationToken cancellationToken)
    {
        // Once per case, not per report: the first report is the one that would otherwise reach nobody unnoticed.
        if (outcome is not IntakeOutcome.Filed { OpenedCase: true } filed || filed.Case.Target.Room is not { } room
            || IsConfigured(room) || await protectedRooms.IsProtectedAsync(room, cancellationToken))
        {
            return;
        }
        var count = caseRooms.CommunityModerators.Count;
        logger.LogWarning(
            "Case {CaseId} is about room {RoomId}, which Relay does not protect: its moderators will not be invited, only the "
            + "{CommunityModeratorCount} community moderator(s). A moderator of the room should invite {Bot}{Hint}",
            filed.Case.Id, room, count, BotUser(),
            count == 0 ? "; with no Relay__Community__Moderators__0 set, this case reaches nobody" : ".");
    }

    /// <summary>Whether the community protects <paramref name="room"/>: configured, or its moderator invited the bot.</summary>
    public async Task<bool> IsProtectedAsync(RoomId room, CancellationToken cancellationToken) =>
        IsConfigured(room) || await protectedRooms.IsProtectedAsync(room, cancellationToken);

    /// <summary>Logs which rooms are protected and who the community moderators are; warns when nobody is set up.</summary>
    public async Task LogOverviewAsync(CancellationToken cancellationToken)
    {
        var invited = await protectedRooms.ListAsync(MaxListed, cancellationToken);
        var configured = options.Value.Reports.ProtectedRooms;
        var moderators = caseRooms.CommunityModerators;
        logger.LogInformation(
            "Protected rooms: {InvitedCount} by a moderator's invite{Invited}; {ConfiguredCount} in Relay__Reports__ProtectedRooms{Configured}. "
            + "Community moderators: {ModeratorCount}{Moderators}",
            invited.Count, List(invited.Select(r => r.Value)), configured.Count, List(configured),
            moderators.Count, List(moderators.Select(m => m.Value)));
        if (invited.Count == 0 && configured.Count == 0)
        {
            logger.LogWarning("Relay protects no room yet: a room's moderator protects it by inviting {Bot}", BotUser());
        }
        if (moderators.Count == 0)
        {
            logger.LogWarning("No community moderators are configured (Relay__Community__Moderators__0): reports about users, "
                + "and about rooms Relay does not protect, reach nobody");
        }
    }

    private const int MaxListed = 50;

    private bool IsConfigured(RoomId room) => options.Value.Reports.ProtectedRooms.Contains(room.Value, StringComparer.Ordinal);

    private string BotUser() => Relay.Host.Bot.BotServices.BotUserId(options.Value).Value;

    private static string List(IEnumerable<string> items)
    {
        var all = items.ToList();
        return all.Count == 0 ? "" : $" ({string.Join(", ", all.Take(MaxListed))}{(all.Count > MaxListed ? ", …" : "")})";
    }
}

/// <summary>Logs <see cref="ProtectionNotices.LogOverviewAsync"/> once the store is ready, in the background.</summary>
public sealed class ProtectionOverviewOnStart(ProtectionNotices notices, ILogger<ProtectionOverviewOnStart> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await notices.LogOverviewAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Could not list the protected rooms at start: {ErrorType}", e.GetType().Name);
        }
    }
}
