using System.Text;
using System.Text.Json;
using Relay.Core.Identifiers;
using Relay.Host.Appservice;

namespace Relay.Tests.Appservice;

/// <summary>
/// The allocation-free first pass must never drop an event the full reading acts on: for every event here,
/// reading the raw transaction gives exactly what reading its parsed document gives.
/// </summary>
public sealed class TransactionScanTests
{
    private static readonly TransactionReader Reader = new(UserId.Parse("@relay:hs.test"), "🚩");

    public static TheoryData<string> Events() =>
    [
        Message("hello"),
        Message("see https://matrix.to/#/!room:hs.test/$ev for what he did"),
        Message("see https:\\/\\/matrix.to\\/#\\/!room:hs.test\\/$ev escaped slashes"),
        Message("\\u0073ee https://\\u006datrix.to/#/!room:hs.test/$ev escaped letters"),
        Message("!ban @spammer:hs.test"),
        Message("  \\n\\t!resolve"),
        Message("\u2003!ack after an em space"),
        Message("\\u2003!ack after an escaped em space"),
        Message("!followup 01HZX"),
        Message("ordinary \\\"quoted\\\" text \\u2764"),
        Reply("> <@a:hs.test> spam\n\n!report spam", "$target:hs.test"),
        Reply("> quoted\\n\\n!REPORT shouting", "$target:hs.test"),
        Reply("just a reply", "$target:hs.test"),
        Reply("a reply mentioning !report in passing", "$target:hs.test"),
        Reaction("🚩"),
        Reaction("\\ud83d\\udea9"),
        Reaction("👍"),
        Reaction("✅"),
        Reaction("✅\\ufe0f"),
        """{"type":"m.room.member","state_key":"@relay:hs.test","room_id":"!r:hs.test","event_id":"$m:hs.test","sender":"@mod:hs.test","content":{"membership":"invite"}}""",
        """{"type":"m.room.member","state_key":"@someone:hs.test","room_id":"!r:hs.test","event_id":"$m:hs.test","sender":"@someone:hs.test","content":{"membership":"join"}}""",
        """{"content":{"users":{"@mod:hs.test":50}},"state_key":"","type":"m.room.power_levels","room_id":"!r:hs.test","event_id":"$p:hs.test","sender":"@mod:hs.test"}""",
        """{"type":"m.typing","content":{"user_ids":["@a:hs.test"]}}""",
        """{"type":"m.room.message","content":"not an object","room_id":"!r:hs.test","event_id":"$x:hs.test","sender":"@a:hs.test"}""",
    ];

    [Theory]
    [MemberData(nameof(Events))]
    public void ScanningTheBytesFindsWhatReadingTheDocumentFinds(string evt)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"events":[{{Message("before")}},{{evt}},{{Message("after")}}],"ephemeral":[]}""");
        using var document = JsonDocument.Parse(body);
        var expected = Reader.Read(document.RootElement);

        Assert.True(Reader.TryRead(body, out var scanned));

        Assert.Equal(expected.Select(Describe), scanned.Select(Describe));
    }

    [Fact]
    public void ABodyThatIsNotAnObjectIsRefused() =>
        Assert.False(Reader.TryRead("""[{"events":[]}]"""u8.ToArray(), out _));

    [Theory]
    [InlineData("""{"events":[{"type":"m.room.message",}]}""")]
    [InlineData("""{"events":[]} trailing""")]
    [InlineData("")]
    public void InvalidJsonIsAnError(string body) =>
        Assert.ThrowsAny<JsonException>(() => Reader.TryRead(Encoding.UTF8.GetBytes(body), out _));

    private static string Describe(AppserviceEvent e) => e switch
    {
        AppserviceEvent.CaseRoomCandidate c => $"candidate {c.EventId} {c.Event.Type} {c.Event.Content.ToJsonString()}",
        _ => e.ToString(),
    };

    private static string Message(string body) =>
        "{\"type\":\"m.room.message\",\"room_id\":\"!r:hs.test\",\"sender\":\"@a:hs.test\",\"event_id\":\"$e"
        + Math.Abs(body.GetHashCode()) + ":hs.test\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"" + Escape(body) + "\"}}";

    private static string Reply(string body, string target) =>
        "{\"type\":\"m.room.message\",\"room_id\":\"!r:hs.test\",\"sender\":\"@a:hs.test\",\"event_id\":\"$r:hs.test\","
        + "\"content\":{\"msgtype\":\"m.text\",\"body\":\"" + Escape(body) + "\",\"m.relates_to\":{\"m.in_reply_to\":{\"event_id\":\""
        + target + "\"}}}}";

    private static string Reaction(string key) =>
        "{\"type\":\"m.reaction\",\"room_id\":\"!r:hs.test\",\"sender\":\"@a:hs.test\",\"event_id\":\"$k:hs.test\","
        + "\"content\":{\"m.relates_to\":{\"rel_type\":\"m.annotation\",\"event_id\":\"$t:hs.test\",\"key\":\"" + key + "\"}}}";

    /// <summary>Bodies above are already JSON-escaped where a test wants escapes; only raw newlines need it.</summary>
    private static string Escape(string body) => body.Replace("\n", "\\n", StringComparison.Ordinal);
}
