using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Relay.Core.Cases.Actions;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Host.Reports;
using EventId = Relay.Core.Identifiers.EventId;

namespace Relay.Host.Appservice;

/// <summary>
/// Picks the events Relay acts on out of a transaction body. <see cref="TransactionScanner"/> first walks the
/// raw bytes without allocating and keeps only the events that may concern Relay; each of those is then read
/// in full here. So the many events Relay ignores (ordinary messages, typing, receipts, other state,
/// ephemeral and to-device data) cost no allocation, however large the transaction.
/// </summary>
public sealed class TransactionReader(UserId bot, string reactionKey)
{
    private const string Command = "!report";

    private readonly TransactionScanner _scanner = new(bot.Value, reactionKey);

    /// <summary>
    /// The events Relay acts on, or false when the body is not a JSON object. Throws <see cref="JsonException"/>
    /// for invalid JSON. The events hold no reference to <paramref name="body"/>, which may be reused at once.
    /// </summary>
    public bool TryRead(ReadOnlyMemory<byte> body, out List<AppserviceEvent> events)
    {
        events = [];
        var kept = new List<(int Start, int Length)>();
        if (!_scanner.TryScan(body.Span, kept))
        {
            return false;
        }
        foreach (var (start, length) in kept)
        {
            JsonElement e;
            using (var document = JsonDocument.Parse(body.Slice(start, length), new JsonDocumentOptions { MaxDepth = TransactionScanner.MaxDepth }))
            {
                e = document.RootElement.Clone();
            }
            if (ReadOne(e) is { } read)
            {
                events.Add(read);
            }
        }
        return true;
    }

    /// <summary>The same reading from a parsed body, every event in full (tests, and callers that already hold a document).</summary>
    public List<AppserviceEvent> Read(JsonElement body)
    {
        var found = new List<AppserviceEvent>();
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("events", out var events)
            || events.ValueKind != JsonValueKind.Array)
        {
            return found;
        }
        foreach (var e in events.EnumerateArray())
        {
            if (ReadOne(e) is { } read)
            {
                found.Add(read);
            }
        }
        return found;
    }

    private AppserviceEvent? ReadOne(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        return type.ValueEquals("m.room.member") ? ReadMembership(e)
            : type.ValueEquals("m.reaction") ? ReadReaction(e)
            : type.ValueEquals("m.room.message") ? ReadMessage(e)
            : type.ValueEquals("m.room.power_levels") ? ReadPowerLevels(e)
            : null;
    }

    private AppserviceEvent? ReadMembership(JsonElement e)
    {
        if (!e.TryGetProperty("state_key", out var stateKey) || !stateKey.ValueEquals(bot.Value)
            || !TryHeader(e, out var room, out var id, out var sender)
            || !TryObject(e, "content", out var content) || String(content, "membership") is not { } membership)
        {
            return null;
        }
        var isDirect = content.TryGetProperty("is_direct", out var direct) && direct.ValueKind == JsonValueKind.True;
        JsonObject? create = null, powerLevels = null;
        if (membership == "invite")
        {
            var stripped = TryObject(e, "unsigned", out var unsigned) && unsigned.TryGetProperty("invite_room_state", out var s) ? s
                : e.TryGetProperty("invite_room_state", out var legacy) ? legacy
                : default;
            if (stripped.ValueKind == JsonValueKind.Array)
            {
                foreach (var state in stripped.EnumerateArray())
                {
                    if (state.ValueKind != JsonValueKind.Object || !state.TryGetProperty("type", out var t))
                    {
                        continue;
                    }
                    if (t.ValueEquals("m.room.create"))
                    {
                        create = JsonObject.Create(state);
                    }
                    else if (t.ValueEquals("m.room.power_levels"))
                    {
                        powerLevels = JsonObject.Create(state);
                    }
                }
            }
        }
        return new AppserviceEvent.BotMembership(room, id, sender, membership, isDirect, create, powerLevels);
    }

    private AppserviceEvent? ReadReaction(JsonElement e)
    {
        if (!TryObject(e, "content", out var content) || !TryObject(content, "m.relates_to", out var relates)
            || !relates.TryGetProperty("rel_type", out var relType) || !relType.ValueEquals("m.annotation")
            || !relates.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String
            || !EventId.TryParse(String(relates, "event_id"), out var target)
            || !TryHeader(e, out var room, out var id, out var sender) || sender == bot)
        {
            return null;
        }
        if (key.ValueEquals(reactionKey))
        {
            return new AppserviceEvent.FlagReaction(room, id, sender, target);
        }
        return CaseActions.ByEmoji(key.GetString()!) is null ? null : Candidate(e, room, id, sender, content);
    }

    private AppserviceEvent? ReadMessage(JsonElement e)
    {
        if (!TryObject(e, "content", out var content) || String(content, "body") is not { } body
            || !TryHeader(e, out var room, out var id, out var sender) || sender == bot)
        {
            return null;
        }
        if (TryObject(content, "m.relates_to", out var relates) && TryObject(relates, "m.in_reply_to", out var reply)
            && EventId.TryParse(String(reply, "event_id"), out var target)
            && TryReadCommand(body, out var reason))
        {
            return new AppserviceEvent.ReportCommand(room, id, sender, target, reason);
        }
        if (TryReadFollowUp(body, out var caseReference))
        {
            return new AppserviceEvent.FollowUpCommand(room, id, sender, caseReference);
        }
        if (body.Contains("matrix.to/#/", StringComparison.Ordinal))
        {
            return new AppserviceEvent.LinkMessage(room, id, sender, body);
        }
        return body.AsSpan().TrimStart().StartsWith('!') ? Candidate(e, room, id, sender, content) : null;
    }

    /// <summary>A change of a room's power levels may change who moderates its open cases.</summary>
    private AppserviceEvent? ReadPowerLevels(JsonElement e) =>
        e.TryGetProperty("state_key", out var stateKey) && stateKey.ValueEquals("")
        && TryObject(e, "content", out var content) && TryHeader(e, out var room, out var id, out var sender)
            ? Candidate(e, room, id, sender, content)
            : null;

    private static AppserviceEvent.CaseRoomCandidate Candidate(JsonElement e, RoomId room, EventId id, UserId sender, JsonElement content) =>
        new(new RoomEvent(room, id, sender, String(e, "type")!, String(e, "state_key"), JsonObject.Create(content)!));

    /// <summary>
    /// "!report [reason]" on the first line after any reply fallback (the "&gt; " quoted lines older clients
    /// put first); the reason is the rest of that line, cut to the report limit.
    /// </summary>
    public static bool TryReadCommand(string body, out string? reason)
    {
        reason = null;
        var lines = body.Split('\n');
        var i = 0;
        while (i < lines.Length && lines[i].StartsWith('>'))
        {
            i++;
        }
        while (i < lines.Length && lines[i].Trim().Length == 0)
        {
            i++;
        }
        if (i >= lines.Length)
        {
            return false;
        }
        var line = lines[i].Trim();
        if (!line.StartsWith(Command, StringComparison.OrdinalIgnoreCase)
            || (line.Length > Command.Length && !char.IsWhiteSpace(line[Command.Length])))
        {
            return false;
        }
        var rest = line[Command.Length..].Trim();
        reason = rest.Length == 0 ? null : Truncate(rest, LegacyReportBody.MaxReasonBytes);
        return true;
    }

    /// <summary>"!followup [case id]": the reporter asks to follow a case in its room.</summary>
    public static bool TryReadFollowUp(string body, out string? caseReference)
    {
        caseReference = null;
        var line = body.AsSpan().Trim();
        const string FollowUp = "!followup";
        if (!line.StartsWith(FollowUp, StringComparison.OrdinalIgnoreCase)
            || (line.Length > FollowUp.Length && !char.IsWhiteSpace(line[FollowUp.Length])))
        {
            return false;
        }
        var rest = line[FollowUp.Length..].Trim();
        caseReference = rest.IsEmpty ? null : rest.ToString();
        return true;
    }

    public static string Truncate(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }
        var end = text.Length;
        while (end > 0 && Encoding.UTF8.GetByteCount(text.AsSpan(0, end)) > maxBytes)
        {
            end--;
        }
        if (end > 0 && char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }
        return text[..end];
    }

    private static bool TryHeader(JsonElement e, out RoomId room, out EventId id, out UserId sender)
    {
        id = default;
        sender = default;
        return RoomId.TryParse(String(e, "room_id"), out room)
            && EventId.TryParse(String(e, "event_id"), out id)
            && UserId.TryParse(String(e, "sender"), out sender);
    }

    private static bool TryObject(JsonElement e, string name, out JsonElement value) =>
        e.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Object;

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
