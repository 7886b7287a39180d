using System.Text.Json.Nodes;
using Relay.TestHomeserver;
using Homeserver = Relay.TestHomeserver.TestHomeserver;

namespace Relay.Tests.TestHomeserverTests;

public sealed class AppserviceTests
{
    private const string PingPath = "_matrix/client/v1/appservice/relay/ping";

    [Fact]
    public async Task Ping_round_trip_reaches_the_appservice_with_the_hs_token()
    {
        await using var appservice = await FakeAppservice.StartAsync();
        await using var hs = await Homeserver.StartAsync(new TestHomeserverOptions { AppserviceUrl = appservice.Url });

        var (status, body) = await hs.Client(hs.AsToken).PostJsonAsync(PingPath, new JsonObject { ["transaction_id"] = "ping-1" });

        Assert.Equal(200, status);
        Assert.True((long?)body["duration_ms"] >= 0);
        var received = Assert.Single(appservice.Received);
        Assert.Equal(("POST", "/_matrix/app/v1/ping", $"Bearer {hs.HsToken}"), (received.Method, received.Path, received.Authorization));
        Assert.Equal("ping-1", (string?)JsonNode.Parse(received.Body)!["transaction_id"]);
        Assert.Empty(hs.Violations);
    }

    [Fact]
    public async Task Pushing_homeserver_sends_the_bots_invite_and_its_rooms_events_but_not_other_rooms_and_retries_a_failure()
    {
        await using var appservice = await FakeAppservice.StartAsync();
        appservice.Status = 503;
        await using var hs = await Homeserver.StartAsync(new TestHomeserverOptions { AppserviceUrl = appservice.Url, PushTransactions = true });
        var elsewhere = hs.CreateRoom("@alice:hs.test");
        var room = hs.CreateRoom("@alice:hs.test");

        hs.SendEvent(elsewhere, "@alice:hs.test", "m.room.message", new JsonObject { ["body"] = "not for the appservice" });
        hs.SetMembership(room, "@alice:hs.test", hs.SenderUserId, "invite");
        hs.Join(room, hs.SenderUserId);
        var said = hs.SendEvent(room, "@alice:hs.test", "m.room.message", new JsonObject { ["body"] = "hello" });
        await WaitAsync(() => appservice.Received.Count >= 2);
        appservice.Status = 200;

        var events = await WaitAsync(() => appservice.Received.Where(r => r.Path.StartsWith("/_matrix/app/v1/transactions/", StringComparison.Ordinal))
            .SelectMany(r => JsonNode.Parse(r.Body)!["events"]!.AsArray()).Select(e => (string?)e!["event_id"] + " " + (string?)e["type"])
            .Distinct().ToList() is { Count: >= 3 } all ? all : null);
        var first = appservice.Received.First();
        Assert.Equal($"Bearer {hs.HsToken}", first.Authorization);
        // The failed transaction was sent again under the same txnId with the same events, as a homeserver does.
        Assert.True(appservice.Received.Count(r => r.Path == first.Path && r.Body == first.Body) >= 2);
        Assert.Equal(3, events.Count);
        Assert.EndsWith("m.room.member", events[0], StringComparison.Ordinal);
        Assert.EndsWith("m.room.member", events[1], StringComparison.Ordinal);
        Assert.Equal($"{said} m.room.message", events[2]);
    }

    private static async Task<T> WaitAsync<T>(Func<T?> probe) where T : class
    {
        for (var i = 0; i < 400; i++)
        {
            if (probe() is { } found)
            {
                return found;
            }
            await Task.Delay(25);
        }
        throw new TimeoutException("The homeserver pushed less than expected within 10 s.");
    }

    private static Task WaitAsync(Func<bool> probe) => WaitAsync(() => probe() ? "yes" : null);

    [Fact]
    public async Task Ping_without_a_url_is_M_URL_NOT_SET()
    {
        await using var hs = await Homeserver.StartAsync();

        var (status, body) = await hs.Client(hs.AsToken).PostJsonAsync(PingPath, []);

        Assert.Equal(400, status);
        Assert.Equal("M_URL_NOT_SET", body.Errcode());
    }

    [Fact]
    public async Task Ping_with_a_user_token_or_another_appservice_id_is_M_FORBIDDEN()
    {
        await using var hs = await Homeserver.StartAsync();
        var token = hs.RegisterUser("@alice:hs.test");

        var (user, userBody) = await hs.Client(token).PostJsonAsync(PingPath, []);
        var (other, _) = await hs.Client(hs.AsToken).PostJsonAsync("_matrix/client/v1/appservice/other/ping", []);

        Assert.Equal(403, user);
        Assert.Equal("M_FORBIDDEN", userBody.Errcode());
        Assert.Equal(403, other);
    }

    [Fact]
    public async Task Ping_reports_M_BAD_STATUS_with_status_and_body()
    {
        await using var appservice = await FakeAppservice.StartAsync();
        appservice.Status = 401;
        appservice.ResponseBody = """{"errcode":"M_UNKNOWN_TOKEN"}""";
        await using var hs = await Homeserver.StartAsync(new TestHomeserverOptions { AppserviceUrl = appservice.Url });

        var (status, body) = await hs.Client(hs.AsToken).PostJsonAsync(PingPath, []);

        Assert.Equal(502, status);
        Assert.Equal("M_BAD_STATUS", body.Errcode());
        Assert.Equal(401, (int?)body["status"]);
        Assert.Equal("""{"errcode":"M_UNKNOWN_TOKEN"}""", (string?)body["body"]);
    }

    [Fact]
    public async Task Ping_reports_M_CONNECTION_TIMEOUT_when_the_appservice_is_slow()
    {
        await using var appservice = await FakeAppservice.StartAsync();
        appservice.Delay = TimeSpan.FromSeconds(5);
        await using var hs = await Homeserver.StartAsync(new TestHomeserverOptions { AppserviceUrl = appservice.Url, PingTimeout = TimeSpan.FromMilliseconds(200) });

        var (status, body) = await hs.Client(hs.AsToken).PostJsonAsync(PingPath, []);

        Assert.Equal(504, status);
        Assert.Equal("M_CONNECTION_TIMEOUT", body.Errcode());
    }

    [Fact]
    public async Task Ping_reports_M_CONNECTION_FAILED_when_nothing_listens()
    {
        Uri closed;
        await using (var appservice = await FakeAppservice.StartAsync())
        {
            closed = appservice.Url;
        }

        await using var hs = await Homeserver.StartAsync(new TestHomeserverOptions { AppserviceUrl = closed });

        var (status, body) = await hs.Client(hs.AsToken).PostJsonAsync(PingPath, []);

        Assert.Equal(502, status);
        Assert.Equal("M_CONNECTION_FAILED", body.Errcode());
    }

    [Fact]
    public async Task PushTransaction_puts_events_with_the_hs_token_and_counting_txn_ids()
    {
        await using var appservice = await FakeAppservice.StartAsync();
        await using var hs = await Homeserver.StartAsync(new TestHomeserverOptions { AppserviceUrl = appservice.Url });
        var room = hs.CreateRoom("@alice:hs.test");
        hs.SendEvent(room, "@alice:hs.test", "m.room.message", new JsonObject { ["body"] = "hi" });

        using var first = await hs.PushTransactionAsync(hs.Timeline(room).TakeLast(1));
        using var second = await hs.PushTransactionAsync([]);

        Assert.True(first.IsSuccessStatusCode);
        var received = appservice.Received.ToArray();
        Assert.Equal(["/_matrix/app/v1/transactions/1", "/_matrix/app/v1/transactions/2"], received.Select(r => r.Path));
        Assert.All(received, r => Assert.Equal($"Bearer {hs.HsToken}", r.Authorization));
        Assert.Equal("hi", (string?)JsonNode.Parse(received[0].Body)!["events"]![0]!["content"]!["body"]);
    }
}
