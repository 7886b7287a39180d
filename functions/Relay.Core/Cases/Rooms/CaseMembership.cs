using System.Text.Json.Nodes;
using Relay.Core.Errors;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;

namespace Relay.Core.Cases.Rooms;

/// <summary>
/// Who is in a case room: the case's moderators (invited, unless a moderators' room lets them join) and the
/// reporters who opted in (invited at power level -1). Every step checks the current membership first, so
/// running it again invites nobody twice.
/// </summary>
public sealed class CaseMembership(IMatrixBot bot, ICaseWriteStore writes, ModeratorDirectory moderators,
    CaseRoomSettings settings, TimeProvider time)
{
    /// <summary>Without a moderators' room, moderators are invited one by one (and removed when they lose the role).</summary>
    public bool InvitesModerators => settings.ModeratorsRoom is null;

    /// <summary>Invites whoever of <paramref name="set"/> and the followers is not yet invited or joined; returns the audit lines.</summary>
    /// <param name="roomIsNew">
    /// True when the caller created the case room moments ago, so nobody but the bot can be in it: moderators are
    /// invited without first reading their membership (a request each, in sequence before the invite).
    /// </param>
    public async Task<List<AuditEntry>> InviteAsync(Case c, ModeratorSet set, bool roomIsNew, CancellationToken cancellationToken)
    {
        var audit = new List<AuditEntry>();
        if (c.CaseRoom is not { } room)
        {
            return audit;
        }
        if (InvitesModerators)
        {
            foreach (var moderator in set.Users)
            {
                await EnsureInvitedAsync(c, room, moderator, "moderator.invited", moderator.Value, audit, roomIsNew, cancellationToken);
            }
        }
        foreach (var follower in await writes.GetFollowersAsync(c.Id, cancellationToken))
        {
            await InviteReporterAsync(c, follower, audit, cancellationToken);
        }
        return audit;
    }

    /// <summary>
    /// Invites an opted-in reporter after lowering their power level to -1 (MSC4226): they read, they cannot
    /// act. The audit never names them.
    /// </summary>
    public async Task InviteReporterAsync(Case c, UserId reporter, List<AuditEntry> audit, CancellationToken cancellationToken)
    {
        if (c.CaseRoom is not { } room || reporter == c.Target.ReportedUser)
        {
            return;
        }
        var levels = await bot.GetStateAsync(room, "m.room.power_levels", "", cancellationToken) ?? [];
        var users = levels["users"] as JsonObject ?? [];
        if (users[reporter.Value] is not JsonValue level || !level.TryGetValue<long>(out var current) || current != -1)
        {
            users[reporter.Value] = -1;
            levels["users"] = users;
            await bot.SendStateAsync(room, "m.room.power_levels", "", levels, cancellationToken);
        }
        await EnsureInvitedAsync(c, room, reporter, "reporter.invited", "an opted-in reporter", audit, false, cancellationToken);
    }

    /// <summary>
    /// After the reported room's power levels changed: invites new moderators and kicks members of the case
    /// room, joined or still invited, who are no longer moderators (never the bot or an opted-in reporter).
    /// </summary>
    public async Task SyncAsync(Case c, JsonObject? newPowerLevels, CancellationToken cancellationToken)
    {
        if (!InvitesModerators || c.CaseRoom is not { } room)
        {
            return;
        }
        var set = await moderators.ForTargetAsync(c.Target, cancellationToken);
        var now = time.GetUtcNow();
        if (set.Source == ModeratorSource.CommunityFallback)
        {
            await writes.AppendAuditAsync([new AuditEntry(c.Id, now, AuditEntry.System, "moderators.sync_skipped", set.Note)], cancellationToken);
            return;
        }
        var audit = await InviteAsync(c, set, false, cancellationToken);
        var followers = await writes.GetFollowersAsync(c.Id, cancellationToken);
        // Invited members count too: a moderator demoted before accepting must not keep a way into the case.
        var candidates = new HashSet<UserId>(await bot.GetJoinedMembersAsync(room, cancellationToken));
        candidates.UnionWith(await bot.GetInvitedMembersAsync(room, cancellationToken));
        if (newPowerLevels?["users"] is JsonObject listed)
        {
            foreach (var (raw, _) in listed)
            {
                if (UserId.TryParse(raw, out var user))
                {
                    candidates.Add(user);
                }
            }
        }
        foreach (var user in candidates.OrderBy(u => u.Value, StringComparer.Ordinal))
        {
            if (set.Contains(user) || user == bot.UserId || followers.Contains(user)
                || await MembershipAsync(room, user, cancellationToken) is not ("join" or "invite"))
            {
                continue;
            }
            try
            {
                await bot.KickAsync(room, user, "No longer a moderator of the reported room", cancellationToken);
                audit.Add(new AuditEntry(c.Id, now, AuditEntry.System, "moderator.removed", user.Value));
            }
            catch (MatrixException e)
            {
                audit.Add(new AuditEntry(c.Id, now, AuditEntry.System, "moderator.remove_failed", $"{user}: {e.Error.ErrCode} ({e.Error.Status})"));
            }
        }
        await writes.AppendAuditAsync(audit, cancellationToken);
    }

    private async Task EnsureInvitedAsync(Case c, RoomId room, UserId user, string action, string detail, List<AuditEntry> audit,
        bool roomIsNew, CancellationToken cancellationToken)
    {
        if (!roomIsNew && await MembershipAsync(room, user, cancellationToken) is "join" or "invite" or "ban")
        {
            return;
        }
        try
        {
            await bot.InviteAsync(room, user, null, cancellationToken);
            audit.Add(new AuditEntry(c.Id, time.GetUtcNow(), AuditEntry.System, action, detail));
        }
        catch (MatrixException e) when (e.Error.Status is >= 400 and < 500 && e.Error.Status != 429)
        {
            // One unreachable or refusing invitee must not hold up the others.
            audit.Add(new AuditEntry(c.Id, time.GetUtcNow(), AuditEntry.System, "invite.failed", $"{detail}: {e.Error.ErrCode} ({e.Error.Status})"));
        }
    }

    private async Task<string?> MembershipAsync(RoomId room, UserId user, CancellationToken cancellationToken) =>
        (await bot.GetStateAsync(room, "m.room.member", user.Value, cancellationToken))?["membership"] is JsonValue value
        && value.TryGetValue<string>(out var membership)
            ? membership
            : null;
}
