using System.Buffers;
using System.Text;
using System.Text.Json;
using Relay.Core.Cases.Actions;

namespace Relay.Host.Appservice;

/// <summary>
/// The allocation-free first pass over a transaction: one <see cref="Utf8JsonReader"/> walk that compares
/// each event's <c>type</c>, <c>state_key</c> and the few content fields Relay cares about in place, and
/// yields the byte range of only those events that may concern Relay. Everything else (ordinary messages,
/// typing, receipts, other state, ephemeral and to-device data) is read past without a string or a node.
/// The filter is deliberately generous: an event it keeps is read again in full by <see cref="TransactionReader"/>,
/// which makes the real decision; an event it drops is one the full reading would have ignored too.
/// </summary>
internal sealed class TransactionScanner
{
    public const int MaxDepth = 64;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = MaxDepth };

    private readonly byte[] _bot;
    private readonly string[] _bareReactionKeys;

    public TransactionScanner(string botUserId, string reactionKey)
    {
        _bot = Encoding.UTF8.GetBytes(botUserId);
        var keys = new List<string> { Bare(reactionKey) };
        foreach (var action in CaseActions.All)
        {
            if (action.Emoji is { } emoji)
            {
                keys.Add(Bare(emoji));
            }
        }
        _bareReactionKeys = [.. keys];
    }

    /// <summary>
    /// Adds the (start, length) of every event that may concern Relay to <paramref name="kept"/>. False when the
    /// body is not a JSON object; throws <see cref="JsonException"/> when it is not valid JSON.
    /// </summary>
    public bool TryScan(ReadOnlySpan<byte> utf8, List<(int Start, int Length)> kept)
    {
        var reader = new Utf8JsonReader(utf8, Options);
        if (!reader.Read())
        {
            return false;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            // Reads the rest, so invalid JSON is reported as such rather than as "not an object".
            reader.Skip();
            while (reader.Read())
            {
            }
            return false;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isEvents = reader.ValueTextEquals("events"u8);
            reader.Read();
            if (isEvents && reader.TokenType == JsonTokenType.StartArray)
            {
                ScanEvents(ref reader, kept);
            }
            else
            {
                reader.Skip();
            }
        }
        // Anything after the root object is an error, as it would be for JsonDocument.
        while (reader.Read())
        {
        }
        return true;
    }

    private void ScanEvents(ref Utf8JsonReader reader, List<(int Start, int Length)> kept)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            var start = (int)reader.TokenStartIndex;
            if (ScanEvent(ref reader))
            {
                kept.Add((start, (int)reader.BytesConsumed - start));
            }
        }
    }

    /// <summary>Reads one event object to its end; true when it may concern Relay.</summary>
    private bool ScanEvent(ref Utf8JsonReader reader)
    {
        var type = EventKind.Other;
        var stateKeyIsBot = false;
        var stateKeyIsEmpty = false;
        var content = default(ContentFacts);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.TokenType != JsonTokenType.String ? EventKind.Other
                    : reader.ValueTextEquals("m.room.message"u8) ? EventKind.Message
                    : reader.ValueTextEquals("m.reaction"u8) ? EventKind.Reaction
                    : reader.ValueTextEquals("m.room.member"u8) ? EventKind.Member
                    : reader.ValueTextEquals("m.room.power_levels"u8) ? EventKind.PowerLevels
                    : EventKind.Other;
            }
            else if (reader.ValueTextEquals("state_key"u8))
            {
                reader.Read();
                stateKeyIsBot = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(_bot);
                stateKeyIsEmpty = reader.TokenType == JsonTokenType.String && reader.ValueSpan.IsEmpty;
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    content = ScanContent(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return type switch
        {
            EventKind.Member => stateKeyIsBot,
            EventKind.PowerLevels => stateKeyIsEmpty && content.IsObject,
            EventKind.Reaction => content.IsAnnotation && content.KeyMatches,
            EventKind.Message => content.BodyIsString && (content.BodyMayMatter || (content.HasReply && content.BodyHasReportWord)),
            _ => false,
        };
    }

    private ContentFacts ScanContent(ref Utf8JsonReader reader)
    {
        var facts = new ContentFacts { IsObject = true };
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("body"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    facts.BodyIsString = true;
                    InspectBody(ref reader, ref facts);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("m.relates_to"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ScanRelation(ref reader, ref facts);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return facts;
    }

    private void ScanRelation(ref Utf8JsonReader reader, ref ContentFacts facts)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("rel_type"u8))
            {
                reader.Read();
                facts.IsAnnotation = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("m.annotation"u8);
            }
            else if (reader.ValueTextEquals("key"u8))
            {
                reader.Read();
                facts.KeyMatches = reader.TokenType == JsonTokenType.String && KeyMatches(ref reader);
            }
            else if (reader.ValueTextEquals("m.in_reply_to"u8))
            {
                reader.Read();
                facts.HasReply = reader.TokenType == JsonTokenType.StartObject;
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>The reaction key against the report key and the case actions' emoji, ignoring variation selectors.</summary>
    private bool KeyMatches(ref Utf8JsonReader reader)
    {
        const int MaxKeyBytes = 256;
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > MaxKeyBytes)
        {
            return true; // No emoji is this long, but padding could make one: let the full reading decide.
        }
        Span<char> chars = stackalloc char[MaxKeyBytes];
        var written = reader.CopyString(chars);
        Span<char> bare = stackalloc char[MaxKeyBytes];
        var n = 0;
        foreach (var c in chars[..written].Trim())
        {
            if (c != '\uFE0F')
            {
                bare[n++] = c;
            }
        }
        var key = bare[..n].Trim();
        foreach (var candidate in _bareReactionKeys)
        {
            if (key.SequenceEqual(candidate))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Looks at the unescaped body for a matrix.to link, a leading '!', or the word !report anywhere.</summary>
    private static void InspectBody(ref Utf8JsonReader reader, ref ContentFacts facts)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            InspectBody(reader.ValueSpan, ref facts);
            return;
        }
        var length = checked((int)(reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length));
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = reader.CopyString(buffer);
            InspectBody(buffer.AsSpan(0, written), ref facts);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void InspectBody(ReadOnlySpan<byte> body, ref ContentFacts facts)
    {
        facts.BodyMayMatter = body.IndexOf("matrix.to/#/"u8) >= 0 || StartsWithBang(body);
        facts.BodyHasReportWord = ContainsReportWord(body);
    }

    /// <summary>'!' first after whitespace, as string.Trim() sees whitespace (Unicode included).</summary>
    private static bool StartsWithBang(ReadOnlySpan<byte> body)
    {
        while (!body.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(body, out var rune, out var consumed) != OperationStatus.Done)
            {
                return true; // Not text we can judge here: let the full reading decide.
            }
            if (!Rune.IsWhiteSpace(rune))
            {
                return rune.Value == '!';
            }
            body = body[consumed..];
        }
        return false;
    }

    private static bool ContainsReportWord(ReadOnlySpan<byte> body)
    {
        for (var at = body.IndexOf((byte)'!'); at >= 0; )
        {
            var rest = body[(at + 1)..];
            if (rest.Length >= 6 && Ascii.EqualsIgnoreCase(rest[..6], "report"u8))
            {
                return true;
            }
            var next = rest.IndexOf((byte)'!');
            at = next < 0 ? -1 : at + 1 + next;
        }
        return false;
    }

    private static string Bare(string key) => key.Replace("\uFE0F", "", StringComparison.Ordinal).Trim();

    private enum EventKind
    {
        Other,
        Message,
        Reaction,
        Member,
        PowerLevels,
    }

    private struct ContentFacts
    {
        public bool IsObject;
        public bool BodyIsString;
        public bool BodyMayMatter;
        public bool BodyHasReportWord;
        public bool HasReply;
        public bool IsAnnotation;
        public bool KeyMatches;
    }
}
