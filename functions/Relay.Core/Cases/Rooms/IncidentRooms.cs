using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Relay.Core.Errors;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Core.Text;

namespace Relay.Core.Cases.Rooms;

/// <summary>
/// Where cases past the case-room budget go: one incident per reported room and clock hour (of the case's opening),
/// either the configured moderators' room or a private incident room with the reported room's moderators. One summary
/// message per incident lists every case gathered into it and is edited in place as cases come and grow. Every step is
/// idempotent (a deterministic alias, membership checked before inviting, deterministic txnIds).
/// </summary>
public sealed class IncidentRooms(ICaseStore cases, IMatrixBot bot, ModeratorDirectory moderators, CaseRoomSettings settings)
{
    private const int PageSize = 100;

    /// <summary>
    /// The most gathered cases one refresh reads (as many as an incident command acts on), and lists: every gathered case
    /// refreshes the summary, and a Matrix event holds at most 64 KiB.
    /// </summary>
    private const int MostRead = 500, MostListed = 50;

    /// <summary>Turns by incident room; few incidents are refreshed at once, so a few stripes do.</summary>
    private readonly Reports.CaseKeyTurns _refreshing = new(stripes: 64);

    /// <summary>The incident's alias localpart: the bot's, the reported room's hash and the hour, e.g. <c>relay-incident-1a2b3c4d-2026070112</c>.</summary>
    public static string AliasLocalpart(UserId bot, RoomId room, DateTimeOffset opened) => AliasLocalpart(bot, room.Value, opened);

    private static string AliasLocalpart(UserId bot, string scope, DateTimeOffset opened) =>
        $"{bot.Localpart}-incident-{Hash(scope)}-{Hour(opened)}";

    /// <summary>
    /// The cases that share <paramref name="c"/>'s budget and incidents: those about its room, or, for a case about no
    /// room (invite spam, a user report), every other such case, as one community moderators own them all.
    /// </summary>
    public static CaseQuery SameScope(Case c, int limit) => c.Target.Room is { } room
        ? new CaseQuery(Limit: limit) { Rooms = [room] }
        : new CaseQuery(Limit: limit) { Rooms = [], IncludeWithoutRoom = true };

    /// <summary>What the incident is about, as its name, topic, summary and keys say it.</summary>
    public static string ScopeKey(Case c) => c.Target.Room?.Value ?? CommunityScope;

    private static string ScopeLabel(Case c) => c.Target.Room is { } room ? room.Value : "the community (cases about no room)";

    private const string CommunityScope = "community";

    /// <summary>The incident room for <paramref name="c"/>: the moderators' room, or its own room (created and its moderators invited).</summary>
    public async Task<RoomId> RoomForAsync(Case c, CancellationToken cancellationToken)
    {
        if (settings.ModeratorsRoom is { } moderatorsRoom)
        {
            return moderatorsRoom;
        }
        var localpart = AliasLocalpart(bot.UserId, ScopeKey(c), c.OpenedAt);
        if (!RoomAlias.TryParse($"#{localpart}:{bot.UserId.Server}", out var alias))
        {
            throw new InvalidOperationException($"The bot's server {bot.UserId.Server} makes no valid incident alias.");
        }
        // Looked up first: every case past the budget comes here, and only the first of the hour creates the room.
        var room = await bot.ResolveAliasAsync(alias, cancellationToken) ?? await CreateAsync(c, localpart, alias, cancellationToken);
        foreach (var moderator in (await moderators.ForNewCaseAsync(c.Target, cancellationToken)).Users)
        {
            var membership = (await bot.GetStateAsync(room, "m.room.member", moderator.Value, cancellationToken))?["membership"];
            if (membership is not JsonValue value || value.GetValue<string>() is not ("join" or "invite" or "ban"))
            {
                await bot.InviteAsync(room, moderator, null, cancellationToken);
            }
        }
        return room;
    }

    private async Task<RoomId> CreateAsync(Case c, string localpart, RoomAlias alias, CancellationToken cancellationToken)
    {
        try
        {
            return await bot.CreateRoomAsync(new RoomCreation
            {
                Preset = "private_chat",
                Visibility = "private",
                RoomAliasName = localpart,
                Name = $"Incident {Hour(c.OpenedAt)}",
                Topic = $"Relay incident: cases about {ScopeLabel(c)} past the case-room budget. Reporters are never named here.",
                InitialState =
                [
                    new InitialStateEvent("m.room.history_visibility", new JsonObject { ["history_visibility"] = "shared" }),
                    new InitialStateEvent("m.room.guest_access", new JsonObject { ["guest_access"] = "forbidden" }),
                ],
            }, cancellationToken);
        }
        catch (MatrixException e) when (e.Error.ErrCode == "M_ROOM_IN_USE")
        {
            // Another delivery created it between the look-up and here.
            return await bot.ResolveAliasAsync(alias, cancellationToken) ?? throw new InvalidOperationException(
                $"The incident alias {alias} is in use but does not resolve.", e);
        }
    }

    /// <summary>
    /// Posts the incident's summary if missing and edits it to list every case gathered with <paramref name="c"/>. One
    /// refresh of an incident at a time on an instance, reading the cases inside its turn: on Azure an instance handles up
    /// to four queue messages at once (host.json), and of two refreshes each reading the cases and sending an edit, the one
    /// that read first could send last, leaving the summary a report behind until the next refresh.
    /// </summary>
    public async Task RefreshAsync(Case c, CancellationToken cancellationToken)
    {
        var incident = c.Incident!.Value;
        using var turn = await _refreshing.TakeAsync(incident.Value, cancellationToken);
        var gathered = await GatheredWithAsync(c, cancellationToken);
        var message = Render(c, gathered);
        var key = $"relay.incident.{Hash(ScopeKey(c))}.{Hour(c.OpenedAt)}";
        // The first send of the key creates the summary; later ones get the same event back from the homeserver.
        var summary = await bot.SendMessageAsync(incident, key + ".summary", message, cancellationToken);
        await bot.SendEventAsync(incident, "m.room.message", $"{key}.edit.{Hash(message.Body)}",
            CaseSummary.Edit(summary, message), cancellationToken);
    }

    public MatrixMessage Render(Case c, IReadOnlyList<Case> gathered)
    {
        var count = gathered.Count >= MostRead ? $"{MostRead} or more" : gathered.Count.ToString(CultureInfo.InvariantCulture);
        var head = $"Incident in {ScopeLabel(c)}, hour {Hour(c.OpenedAt)}: {count} case(s) past the budget of "
                   + $"{settings.CaseRoomsPerHour} case rooms per hour, gathered here instead of a room each.";
        var text = new StringBuilder(head).Append('\n');
        var html = new StringBuilder($"<b>{H(head)}</b><br>\n");
        foreach (var g in gathered.Take(MostListed))
        {
            var line = $"- Case {g.Id.Short} ({g.Category?.Id ?? "unspecified"}, {g.State.ToString().ToLowerInvariant()}): {Describe(g)}, "
                       + $"{Counted.Of(g.ReporterCount, "reporter")}, {Counted.Of(g.ReportCount, "report")}";
            text.Append(line).Append('\n');
            html.Append(H(line)).Append("<br>\n");
        }
        if (gathered.Count > MostListed)
        {
            var more = $"- … and {(gathered.Count >= MostRead ? "more" : (gathered.Count - MostListed).ToString(CultureInfo.InvariantCulture))} "
                       + "newer: act on them by name, with all, or list them with the dashboard or `relay cases list`.";
            text.Append(more).Append('\n');
            html.Append(H(more)).Append("<br>\n");
        }
        const string tail = "Act here by naming a case: !clear <case> (ban and redact), !ban, !redact, !resolve, !dismiss <case>, "
                            + "or !clear all for every open case here; or from the dashboard or `relay cases`. Reporters are never named here.";
        text.Append(tail);
        html.Append(H(tail));
        return new MatrixMessage(text.ToString(), html.ToString(), Notice: true);
    }

    private async Task<List<Case>> GatheredWithAsync(Case c, CancellationToken cancellationToken)
    {
        var hour = Hour(c.OpenedAt);
        var found = new List<Case>();
        CaseCursor? after = null;
        while (true)
        {
            var page = await cases.ListCasesAsync(SameScope(c, PageSize) with { After = after }, cancellationToken);
            foreach (var other in page)
            {
                var otherHour = Hour(other.OpenedAt);
                if (string.CompareOrdinal(otherHour, hour) < 0)
                {
                    return Oldest(found);
                }
                if (other.Incident == c.Incident && otherHour == hour)
                {
                    found.Add(other);
                    if (found.Count >= MostRead)
                    {
                        return Oldest(found);
                    }
                }
            }
            if (page.Count < PageSize)
            {
                return Oldest(found);
            }
            after = CaseCursor.Of(page[^1]);
        }
    }

    private static List<Case> Oldest(List<Case> found) => [.. found.OrderBy(x => x.OpenedAt).ThenBy(x => x.Id.Value, StringComparer.Ordinal)];

    // Identifiers only: a child-safety case shows no reason here either.
    private static string Describe(Case c) => c.Target switch
    {
        Reports.ReportTarget.Event e => $"{e.Sender} ({e.EventId})",
        Reports.ReportTarget.RoomTarget { Inviter: { } inviter } r => $"invite spam from {inviter} (room {r.RoomId})",
        Reports.ReportTarget.RoomTarget r => $"room {r.RoomId}",
        Reports.ReportTarget.UserTarget u => $"user {u.UserId}",
        _ => "?",
    };

    private static string Hour(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..8];

    private static string H(string value) => WebUtility.HtmlEncode(value);
}
