using System.Text.Json.Nodes;
using Homeserver = Relay.TestHomeserver.TestHomeserver;

namespace Relay.Tests.TestHomeserverTests;

public sealed class SendTests
{
    private static string SendPath(string room, string txn) => $"_matrix/client/v3/rooms/{Matrix.E(room)}/send/m.room.message/{txn}";

    [Fact]
    public async Task Send_with_the_same_txnId_returns_the_same_event_and_creates_one_event()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom(hs.SenderUserId);
        using var client = hs.Client(hs.AsToken);
        var message = new JsonObject { ["msgtype"] = "m.text", ["body"] = "hello" };

        var (s1, first) = await client.PutJsonAsync(SendPath(room, "t1"), message);
        var (s2, second) = await client.PutJsonAsync(SendPath(room, "t1"), message);
        var (_, third) = await client.PutJsonAsync(SendPath(room, "t2"), message);

        Assert.Equal(200, s1);
        Assert.Equal(200, s2);
        Assert.Equal((string?)first["event_id"], (string?)second["event_id"]);
        Assert.NotEqual((string?)first["event_id"], (string?)third["event_id"]);
        Assert.Equal(2, hs.Timeline(room).Count(e => (string?)e["type"] == "m.room.message"));
        Assert.Empty(hs.Violations);
    }

    [Fact]
    public async Task Same_txnId_from_another_token_is_a_new_event()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom("@alice:hs.test");
        var token1 = hs.RegisterUser("@alice:hs.test");
        var token2 = hs.RegisterUser("@alice:hs.test");

        var (_, a) = await hs.Client(token1).PutJsonAsync(SendPath(room, "same"), new JsonObject { ["body"] = "x" });
        var (_, b) = await hs.Client(token2).PutJsonAsync(SendPath(room, "same"), new JsonObject { ["body"] = "x" });

        Assert.NotEqual((string?)a["event_id"], (string?)b["event_id"]);
    }

    [Fact]
    public async Task Non_member_cannot_send()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom("@alice:hs.test");

        var (status, body) = await hs.Client(hs.AsToken).PutJsonAsync(SendPath(room, "t"), new JsonObject { ["body"] = "x" });

        Assert.Equal(403, status);
        Assert.Equal("M_FORBIDDEN", body.Errcode());
        Assert.DoesNotContain(hs.Timeline(room), e => (string?)e["type"] == "m.room.message");
    }

    [Fact]
    public async Task Truncated_answer_then_retry_with_the_same_txnId_creates_one_event()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom(hs.SenderUserId);
        hs.InjectFault(r => r.Path.Contains("/send/", StringComparison.Ordinal), Relay.TestHomeserver.Fault.TruncatedJson);
        using var client = hs.Client(hs.AsToken);

        using var cut = await client.PutAsync(SendPath(room, "t"), Matrix.Json(new JsonObject { ["body"] = "x" }));
        var (status, _) = await client.PutJsonAsync(SendPath(room, "t"), new JsonObject { ["body"] = "x" });

        Assert.Equal(200, status);
        Assert.Single(hs.Timeline(room), e => (string?)e["type"] == "m.room.message");
    }

    [Fact]
    public async Task Redact_is_idempotent_per_txnId_and_strips_content()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom(hs.SenderUserId, new Relay.TestHomeserver.RoomSetup { Members = ["@spammer:hs.test"] });
        var spam = hs.SendEvent(room, "@spammer:hs.test", "m.room.message", new JsonObject { ["body"] = "buy now" });
        using var client = hs.Client(hs.AsToken);
        var path = $"_matrix/client/v3/rooms/{Matrix.E(room)}/redact/{Matrix.E(spam)}/r1";

        var (s1, first) = await client.PutJsonAsync(path, new JsonObject { ["reason"] = "spam" });
        var (_, second) = await client.PutJsonAsync(path, new JsonObject { ["reason"] = "spam" });

        Assert.Equal(200, s1);
        Assert.Equal((string?)first["event_id"], (string?)second["event_id"]);
        var timeline = hs.Timeline(room);
        var redaction = Assert.Single(timeline, e => (string?)e["type"] == "m.room.redaction");
        Assert.Equal(spam, (string?)redaction["redacts"]);
        Assert.Equal("spam", (string?)redaction["content"]?["reason"]);
        var redacted = timeline.Single(e => (string?)e["event_id"] == spam);
        Assert.Empty(redacted["content"]!.AsObject());
        Assert.NotNull(redacted["unsigned"]?["redacted_because"]);
    }

    [Fact]
    public async Task Redacting_someone_elses_event_without_power_is_forbidden()
    {
        await using var hs = await Homeserver.StartAsync();
        var token = hs.RegisterUser("@bob:hs.test");
        var room = hs.CreateRoom("@alice:hs.test", new Relay.TestHomeserver.RoomSetup { Members = ["@bob:hs.test"] });
        var eventId = hs.SendEvent(room, "@alice:hs.test", "m.room.message", new JsonObject { ["body"] = "x" });

        var (status, body) = await hs.Client(token).PutJsonAsync($"_matrix/client/v3/rooms/{Matrix.E(room)}/redact/{Matrix.E(eventId)}/r", []);

        Assert.Equal(403, status);
        Assert.Equal("M_FORBIDDEN", body.Errcode());
    }

    [Fact]
    public async Task Concurrent_sends_with_the_same_txnId_create_one_event()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom(hs.SenderUserId);
        using var client = hs.Client(hs.AsToken);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            client.PutJsonAsync(SendPath(room, "race"), new JsonObject { ["body"] = "x" })));

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Single(answers.Select(a => (string?)a.Body["event_id"]).Distinct());
        Assert.Single(hs.Timeline(room), e => (string?)e["type"] == "m.room.message");
        Assert.Equal(20, hs.Requests.Count);
    }
}
