using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Relay.Core.Cases.Rooms;
using Relay.Core.Errors;
using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Core.Cases.Actions;

/// <summary>
/// 🧹 / !clear [recent] [reason]: clears an offender's raid in one step. The bot bans the reported user from every room of
/// the case's reported events, redacts each of those events, and adds a ban to the policy list when one is configured.
/// With <c>recent</c> (the command only: a one-tap reaction never reaches unreported events) it also redacts the
/// offender's other events in those rooms from the last <see cref="RecentWindow"/>, at most <see cref="RecentMax"/>.
/// Safe to run again (a ban and a redaction are idempotent, and each redaction's txnId is derived from its event).
/// </summary>
public sealed class ClearRaidAction : ICaseAction
{
    public const string RecentWord = "recent";

    public static readonly TimeSpan RecentWindow = TimeSpan.FromHours(24);

    public const int RecentMax = 500;

    private const int Concurrency = 4;

    private const int FailuresShown = 5;

    public string Label => "ban the sender and redact every reported event";

    public string? Emoji => "\U0001F9F9";

    public string Command => "clear";

    public bool TakesText => true;

    public CaseTrigger Trigger => CaseTrigger.Enforce;

    public bool AppliesTo(Case c, CaseRoomSettings settings) => c.Target is ReportTarget.Event && c.Target.ReportedUser is not null;

    public async Task<ActionEffect> ExecuteAsync(CaseActionContext context, CancellationToken cancellationToken)
    {
        if (context.Case.Target.ReportedUser is not { } user)
        {
            return new ActionEffect.NotApplicable("This case names no user, so there is no raid to clear.");
        }
        var (recent, reason) = Options(context.Text);
        context = context with { Text = reason };
        var events = ReportedEventsOf(context);
        var rooms = events.Select(e => e.RoomId).Distinct().ToList();
        if (rooms.Count == 0)
        {
            return new ActionEffect.NotApplicable("This case has no reported events in a room, so there is nothing to clear; try !policy-ban.");
        }
        foreach (var room in rooms)
        {
            await context.Bot.BanAsync(room, user, context.HomeserverReason, cancellationToken);
        }
        var reported = await RedactAllAsync(context, events.Select(e => (e.RoomId, e.EventId)).ToList(), cancellationToken);
        Redactions? others = null;
        if (recent)
        {
            var since = context.Now - RecentWindow;
            var known = events.Select(e => e.EventId).ToHashSet();
            var unreported = new List<(RoomId, EventId)>();
            foreach (var room in rooms)
            {
                var found = await RecentEvents.OfAsync(context.Bot, room, user, since, RecentMax - unreported.Count, cancellationToken);
                unreported.AddRange(found.Where(id => !known.Contains(id)).Select(id => (room, id)));
            }
            others = await RedactAllAsync(context, unreported, cancellationToken);
        }
        var policy = await PolicyBanAsync(context, user, cancellationToken);
        return Confirm(context, user, rooms, reported, others, policy);
    }

    private static ActionEffect.Done Confirm(CaseActionContext context, UserId user, List<RoomId> rooms, Redactions reported,
        Redactions? others, RoomId? policy)
    {
        var where = string.Join(", ", rooms);
        var goneText = reported.Gone == 0 ? "" : $" ({reported.Gone} no longer on the server)";
        var text = new StringBuilder(
            $"{context.Actor} cleared the raid of {user}: banned from {where}, {reported.Done} of {reported.Total} reported event(s) redacted{goneText}");
        var audit = new StringBuilder($"banned {user} from {where} redacted={reported.Done}/{reported.Total}");
        if (others is not null)
        {
            text.Append($", and {others.Done} of {others.Total} other event(s) of theirs from the last {RecentWindow.TotalHours:0} h");
            audit.Append($" recent={others.Done}/{others.Total}");
        }
        var failed = reported.Failed.Concat(others?.Failed ?? []).ToList();
        if (failed.Count > 0)
        {
            var shown = string.Join(", ", failed.Take(FailuresShown));
            var more = failed.Count > FailuresShown ? $" and {failed.Count - FailuresShown} more" : "";
            text.Append($"; {failed.Count} failed: {shown}{more}");
            audit.Append($" failed={failed.Count}");
        }
        text.Append(policy is null ? "." : $", and a ban added to the policy list {policy}.");
        audit.Append($" policy={(policy?.Value ?? "none")}");
        return new ActionEffect.Done(text.ToString(), audit.ToString());
    }

    /// <summary>The leading word <c>recent</c> asks for the offender's recent events too; the rest is the reason.</summary>
    private static (bool Recent, string? Reason) Options(string? text)
    {
        var trimmed = text?.Trim() ?? "";
        var space = trimmed.IndexOfAny([' ', '\n', '\t']);
        var word = space < 0 ? trimmed : trimmed[..space];
        return string.Equals(word, RecentWord, StringComparison.OrdinalIgnoreCase)
            ? (true, space < 0 ? null : trimmed[(space + 1)..].Trim())
            : (false, text);
    }

    private static List<ReportTarget.Event> ReportedEventsOf(CaseActionContext context)
    {
        var events = (context.Reports ?? [])
            .Select(r => r.Target).OfType<ReportTarget.Event>()
            .DistinctBy(e => e.EventId)
            .ToList();
        if (events.Count == 0 && context.Case.Target is ReportTarget.Event only)
        {
            events.Add(only);
        }
        return events;
    }

    /// <summary>A few redactions at a time; each failure is kept and reported instead of stopping the others.</summary>
    private static async Task<Redactions> RedactAllAsync(CaseActionContext context, List<(RoomId Room, EventId Event)> events,
        CancellationToken cancellationToken)
    {
        var done = 0;
        var gone = 0;
        var failed = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(events, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (e, ct) =>
            {
                try
                {
                    await context.Bot.RedactAsync(e.Room, e.Event, context.Txn("clear-" + Short(e.Event)), context.HomeserverReason, ct);
                    Interlocked.Increment(ref done);
                }
                catch (MatrixException m) when (m.Error.Status == 404)
                {
                    // Already purged by the server: nothing left to redact, and no reason to stop the others.
                    Interlocked.Increment(ref gone);
                }
                catch (MatrixException m)
                {
                    failed.Enqueue($"{e.Event} ({m.Error.ErrCode})");
                }
            });
        // Failures in the order of the events, so the confirmation reads the same on a retry.
        var order = events.Select((e, i) => (e.Event.Value, i)).ToDictionary(x => x.Value, x => x.i);
        var failures = failed.OrderBy(f => order.GetValueOrDefault(f[..f.IndexOf(' ')])).ToList();
        return new Redactions(done, gone, events.Count, failures);
    }

    private static async Task<RoomId?> PolicyBanAsync(CaseActionContext context, UserId user, CancellationToken cancellationToken)
    {
        if (context.Settings.PolicyRoom is not { } policyRoom)
        {
            return null;
        }
        var rule = new JsonObject { ["entity"] = user.Value, ["recommendation"] = "m.ban", ["reason"] = context.HomeserverReason };
        await context.Bot.SendStateAsync(policyRoom, PolicyBanAction.RuleType, PolicyBanAction.StateKey(user), rule, cancellationToken);
        return policyRoom;
    }

    private static string Short(EventId id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id.Value)))[..12];

    private sealed record Redactions(int Done, int Gone, int Total, IReadOnlyList<string> Failed);
}
