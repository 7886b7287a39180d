using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Relay.Core.Cases.Actions;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Core.Reports;
using Relay.Core.Text;

namespace Relay.Core.Cases.Rooms;

/// <summary>
/// The case summary posted in the case room: what was reported, where, by whom it was sent, the category,
/// the reason, how many distinct reporters so far, and the actions. Never the reporter, never media; only the e-mail
/// addresses web-form reporters gave so that the moderators may contact them (<see cref="Report.ContactEmail"/>).
/// For <c>m.child_safety.*</c> only IDs, counts and the category: no reason, no links that would preview.
/// </summary>
public static class CaseSummary
{
    public const int MaxReasonLength = 1000;

    /// <summary>Contact addresses shown in the room; the dashboard's case page lists them all.</summary>
    public const int MaxContactsShown = 10;

    /// <summary>Events listed one per line; a raid's 200 stay within an event's size, and the rest are counted.</summary>
    public const int MaxEventsListed = 50;

    /// <summary>The summary of a case with its reports: the first reason given, every reported event, the self-reports.</summary>
    public static MatrixMessage Render(Case c, IReadOnlyList<Report> reports, string? escalation = null, IReadOnlyList<string>? contacts = null,
        CaseRoomSettings? settings = null) =>
        Render(c, reports.FirstOrDefault(r => !string.IsNullOrWhiteSpace(r.Reason))?.Reason, escalation, contacts, ReportedEvents.Of(reports), settings,
            reports);

    public static MatrixMessage Render(Case c, string? reason, string? escalation = null, IReadOnlyList<string>? contacts = null,
        ReportedEvents? events = null, CaseRoomSettings? settings = null, IReadOnlyList<Report>? invites = null)
    {
        var text = new StringBuilder();
        var html = new StringBuilder();
        var childSafety = c.Category is { IsChildSafety: true };
        var category = HarmCategory.LabelOf(c.Category);
        Line($"Report {c.Id.Short}: {category}", $"<b>Report {H(c.Id.Short)}</b>: {H(category)}");
        switch (c.Target)
        {
            case ReportTarget.Event e when events is { Events.Count: > 1 }:
                Line($"Sender: {e.Sender}", childSafety ? $"Sender: <code>{H(e.Sender.Value)}</code>"
                    : $"Sender: <a href=\"{H(MatrixLinks.User(e.Sender))}\">{H(e.Sender.Value)}</a>");
                EventLines(events.Events);
                break;
            case ReportTarget.Event e when childSafety:
                Line($"Room: {e.RoomId}", $"Room: <code>{H(e.RoomId.Value)}</code>");
                Line($"Event: {e.EventId} ({e.EventType})", $"Event: <code>{H(e.EventId.Value)}</code> ({H(e.EventType)})");
                Line($"Sender: {e.Sender}", $"Sender: <code>{H(e.Sender.Value)}</code>");
                break;
            case ReportTarget.Event e:
                var link = MatrixLinks.Event(e.RoomId, e.EventId);
                Line($"Room: {e.RoomId}", $"Room: <a href=\"{H(MatrixLinks.Room(e.RoomId))}\">{H(e.RoomId.Value)}</a>");
                Line($"Event: {link} ({e.EventType})", $"Event: <a href=\"{H(link)}\">{H(e.EventId.Value)}</a> ({H(e.EventType)})");
                Line($"Sender: {e.Sender}", $"Sender: <a href=\"{H(MatrixLinks.User(e.Sender))}\">{H(e.Sender.Value)}</a>");
                break;
            case ReportTarget.RoomTarget { Inviter: { } inviter }:
                InviteLines(inviter);
                break;
            case ReportTarget.RoomTarget r:
                Line($"Room: {r.RoomId}", $"Room: <code>{H(r.RoomId.Value)}</code>");
                break;
            case ReportTarget.UserTarget u:
                Line($"User: {u.UserId}", $"User: <code>{H(u.UserId.Value)}</code>");
                break;
        }
        if (childSafety)
        {
            Line("Content withheld: child-safety reports show no reason or content here. Do not open the event in an ordinary client.",
                "<b>Content withheld</b>: child-safety reports show no reason or content here. Do not open the event in an ordinary client.");
        }
        else if (!string.IsNullOrWhiteSpace(reason))
        {
            var shown = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] + "…" : reason;
            Line($"Reason: {shown}", $"Reason: <blockquote>{H(shown)}</blockquote>");
        }
        if (contacts is { Count: > 0 })
        {
            var shown = contacts.Take(MaxContactsShown).ToList();
            var more = contacts.Count > shown.Count ? $" and {contacts.Count - shown.Count} more (on the dashboard)" : "";
            Line($"Reporters who agreed to be contacted by e-mail: {string.Join(", ", shown)}{more}",
                $"Reporters who agreed to be contacted by e-mail: {string.Join(", ", shown.Select(H))}{H(more)}");
        }
        // Every report edits the summary, so a reporter's repeat shows as a count rather than an edit that changes nothing.
        var repeats = c.ReportCount > c.ReporterCount ? $" ({Counted.Of(c.ReportCount, "report")} in all)" : "";
        Line($"Distinct reporters so far: {c.ReporterCount}{repeats}", $"Distinct reporters so far: <b>{c.ReporterCount}</b>{H(repeats)}");
        if (events is { SelfReports: > 0 } self)
        {
            var line = $"Reports by the reported user themselves: {self.SelfReports} (not counted as reporters)";
            Line(line, H(line));
        }
        if (escalation is not null)
        {
            Line(escalation, H(escalation));
        }
        var actions = ActionsText(CaseActions.For(c, settings ?? new CaseRoomSettings([])));
        Line($"Actions: {actions}", $"Actions: {H(actions)}");
        return new MatrixMessage(text.ToString().TrimEnd('\n'), html.ToString().TrimEnd(), Notice: true);

        void EventLines(IReadOnlyList<ReportedEvent> reported)
        {
            var rooms = reported.Select(r => r.RoomId).Distinct().ToList();
            if (rooms.Count == 1)
            {
                Line($"Room: {rooms[0]}", childSafety ? $"Room: <code>{H(rooms[0].Value)}</code>"
                    : $"Room: <a href=\"{H(MatrixLinks.Room(rooms[0]))}\">{H(rooms[0].Value)}</a>");
            }
            Line($"Reported events: {reported.Count}", $"Reported events: <b>{reported.Count}</b>");
            foreach (var r in reported.Take(MaxEventsListed))
            {
                var where = rooms.Count == 1 ? "" : $" in {r.RoomId}";
                var tail = $" ({r.EventType}{where}), first reported {Escalation.Escalator.Time(r.FirstReportedAt)}, {Counted.Of(r.Reporters, "reporter")}";
                var link = MatrixLinks.Event(r.RoomId, r.EventId);
                Line($"- {(childSafety ? r.EventId.Value : link)}{tail}", childSafety
                    ? $"• <code>{H(r.EventId.Value)}</code>{H(tail)}"
                    : $"• <a href=\"{H(link)}\">{H(r.EventId.Value)}</a>{H(tail)}");
            }
            if (reported.Count > MaxEventsListed)
            {
                var more = $"… and {reported.Count - MaxEventsListed} more (relay cases show {c.Id}, or the dashboard)";
                Line(more, H(more));
            }
        }

        // Invite spam: the inviter and their server, and the rooms invited to, as IDs only (never links a client would
        // preview or join); the rooms are the inviter's, so no action here touches them.
        void InviteLines(UserId inviter)
        {
            Line($"Invite spam from {inviter} (server {inviter.Server})",
                $"<b>Invite spam</b> from <code>{H(inviter.Value)}</code> (server <code>{H(inviter.Server)}</code>)");
            var rooms = InvitedRooms(c, invites);
            Line($"Rooms invited to: {rooms.Count}", $"Rooms invited to: <b>{rooms.Count}</b>");
            foreach (var room in rooms.Take(MaxEventsListed))
            {
                Line($"- {room}", $"• <code>{H(room.Value)}</code>");
            }
            if (rooms.Count > MaxEventsListed)
            {
                var more = $"… and {rooms.Count - MaxEventsListed} more (relay cases show {c.Id}, or the dashboard)";
                Line(more, H(more));
            }
            // Only an action the case room offers: without a policy room there is no !policy-ban.
            var act = settings?.PolicyRoom is null
                ? "Act on the inviter: escalate to their server's admins (set Relay__Moderation__PolicyRoom to ban them through a policy list)."
                : "Act on the inviter: ban through the policy list, or escalate to their server's admins.";
            var note = "The rooms are not the community's: nothing is sent to them or their members. " + act;
            Line(note, H(note));
        }

        void Line(string plain, string formatted)
        {
            text.Append(plain).Append('\n');
            html.Append(formatted).Append("<br>\n");
        }
    }

    /// <summary>The distinct rooms of an invite-spam case's reports, first reported first (the case's own room when none are given).</summary>
    public static IReadOnlyList<RoomId> InvitedRooms(Case c, IReadOnlyList<Report>? reports)
    {
        var rooms = (reports ?? []).Select(r => r.Target).OfType<ReportTarget.RoomTarget>().Select(r => r.RoomId).Distinct().ToList();
        if (rooms.Count == 0 && c.Target is ReportTarget.RoomTarget own)
        {
            rooms.Add(own.RoomId);
        }
        return rooms;
    }

    /// <summary>The distinct contact addresses of a case's reports (web-form reporters who gave one), oldest first.</summary>
    public static IReadOnlyList<string> Contacts(IEnumerable<Report> reports) =>
        [.. reports.Select(r => r.ContactEmail).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>"react ✅ acknowledge, 🗑️ redact the event, …; or type !ack, !redact [reason], …", for the given actions.</summary>
    public static string ActionsText(IReadOnlyList<ICaseAction> offered)
    {
        var reactions = offered.Where(a => a.Emoji is not null).Select(a => $"{a.Emoji} {a.Label}");
        // Resolve's text is a note for the audit trail; the others' is a reason the homeserver passes to the user.
        var commands = offered.Select(a => !a.TakesText ? $"!{a.Command}"
            : a.Trigger == CaseTrigger.Resolve ? $"!{a.Command} [note]"
            : a is ClearRaidAction ? $"!{a.Command} [{ClearRaidAction.RecentWord}] [reason]"
            : $"!{a.Command} [reason]");
        return $"react {string.Join(", ", reactions)}; or type {string.Join(", ", commands)}";
    }

    /// <summary>An edit of <paramref name="original"/> (m.replace with m.new_content), as the spec's event replacements describe.</summary>
    public static JsonObject Edit(EventId original, MatrixMessage updated)
    {
        var newContent = Content(updated);
        var content = Content(updated with { Body = "* " + updated.Body, HtmlBody = updated.HtmlBody is null ? null : "* " + updated.HtmlBody });
        content["m.new_content"] = newContent;
        content["m.relates_to"] = new JsonObject { ["rel_type"] = "m.replace", ["event_id"] = original.Value };
        return content;
    }

    public static JsonObject Content(MatrixMessage message)
    {
        var content = new JsonObject { ["msgtype"] = message.Notice ? "m.notice" : "m.text", ["body"] = message.Body };
        if (message.HtmlBody is not null)
        {
            content["format"] = "org.matrix.custom.html";
            content["formatted_body"] = message.HtmlBody;
        }
        return content;
    }

    private static string H(string value) => WebUtility.HtmlEncode(value);
}
