using System.Net;
using Relay.Core.Cases;
using Relay.Tests.Harness;

namespace Relay.Tests.Reports;

/// <summary>Every error the report endpoints can give, each with nothing stored.</summary>
public sealed class ReportErrorTests
{
    private static async Task AssertNothingStoredAsync(RelayHarness relay)
    {
        Assert.Empty(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal(0, await relay.Queue.CountAsync());
    }

    [Fact]
    public async Task Report_without_token_returns_401_M_MISSING_TOKEN_and_asks_nothing_of_the_homeserver()
    {
        await using var relay = await RelayHarness.StartAsync();
        var response = await relay.PostAsync(RelayHarness.EventReportPath("!r:hs.test", "$e"), token: null, new { reason = "x" });
        await MatrixAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "M_MISSING_TOKEN");
        Assert.DoesNotContain(relay.Homeserver.Requests, r => r.Path.StartsWith("/_matrix/client/v3/", StringComparison.Ordinal));
        await AssertNothingStoredAsync(relay);
    }

    [Fact]
    public async Task Report_with_token_the_homeserver_rejects_returns_401_M_UNKNOWN_TOKEN()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var room = relay.Room(alice);
        var ev = relay.Message(room, alice);
        relay.Homeserver.RevokeToken(aliceToken);

        var response = await relay.PostAsync(RelayHarness.EventReportPath(room, ev), aliceToken, new { reason = "x" });

        await MatrixAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "M_UNKNOWN_TOKEN");
        await AssertNothingStoredAsync(relay);
    }

    [Fact]
    public async Task Report_for_event_not_in_room_returns_M_NOT_FOUND()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var room = relay.Room(alice);
        var other = relay.Room(alice);
        var ev = relay.Message(other, alice);

        var response = await relay.PostAsync(RelayHarness.EventReportPath(room, ev), aliceToken, new { reason = "x" });

        await MatrixAssert.ErrorAsync(response, HttpStatusCode.NotFound, "M_NOT_FOUND");
        await AssertNothingStoredAsync(relay);
    }

    [Fact]
    public async Task Report_by_someone_not_joined_to_the_room_returns_M_NOT_FOUND()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, _) = relay.User("alice");
        var (_, eveToken) = relay.User("eve");
        var room = relay.Room(alice);
        var ev = relay.Message(room, alice);

        var response = await relay.PostAsync(RelayHarness.EventReportPath(room, ev), eveToken, new { reason = "x" });

        await MatrixAssert.ErrorAsync(response, HttpStatusCode.NotFound, "M_NOT_FOUND");
        await AssertNothingStoredAsync(relay);
    }

    [Theory]
    [InlineData("not json", "M_NOT_JSON")]
    [InlineData("", "M_NOT_JSON")]
    [InlineData("[1,2]", "M_NOT_JSON")]
    [InlineData("\"text\"", "M_NOT_JSON")]
    [InlineData("{\"reason\":", "M_NOT_JSON")]
    [InlineData("{\"reason\":42}", "M_BAD_JSON")]
    [InlineData("{\"reason\":[\"x\"]}", "M_BAD_JSON")]
    [InlineData("{\"score\":\"high\"}", "M_BAD_JSON")]
    [InlineData("{\"target\":7}", "M_BAD_JSON")]
    [InlineData("{\"target\":\"everyone\"}", "M_INVALID_PARAM")]
    public async Task Malformed_body_gets_its_Matrix_error_and_stores_nothing(string body, string errcode)
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var room = relay.Room(alice);
        var ev = relay.Message(room, alice);

        var response = await relay.PostRawAsync(RelayHarness.EventReportPath(room, ev), aliceToken, body);

        await MatrixAssert.ErrorAsync(response, HttpStatusCode.BadRequest, errcode);
        await AssertNothingStoredAsync(relay);
    }

    [Fact]
    public async Task Body_nested_deeper_than_the_limit_returns_M_NOT_JSON()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var body = "{\"a\":" + new string('[', 200) + new string(']', 200) + "}";

        var response = await relay.PostRawAsync(RelayHarness.EventReportPath("!r:hs.test", "$e"), aliceToken, body);

        await MatrixAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "M_NOT_JSON");
    }

    [Fact]
    public async Task Invalid_utf8_body_returns_M_NOT_JSON()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (_, aliceToken) = relay.User("alice");
        var request = new HttpRequestMessage(HttpMethod.Post, RelayHarness.EventReportPath("!r:hs.test", "$e"))
        {
            Content = new ByteArrayContent([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']),
        };
        request.Headers.Authorization = new("Bearer", aliceToken);

        await MatrixAssert.ErrorAsync(await relay.Client.SendAsync(request), HttpStatusCode.BadRequest, "M_NOT_JSON");
    }

    [Fact]
    public async Task Reason_over_1024_bytes_returns_M_INVALID_PARAM()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var room = relay.Room(alice);
        var ev = relay.Message(room, alice);

        // 342 three-byte characters: 1026 bytes, though only 342 characters.
        var response = await relay.PostAsync(RelayHarness.EventReportPath(room, ev), aliceToken, new { reason = new string('€', 342) });

        await MatrixAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "M_INVALID_PARAM");
        await AssertNothingStoredAsync(relay);
    }

    [Fact]
    public async Task Reason_of_exactly_1024_bytes_is_accepted()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var room = relay.Room(alice);
        var ev = relay.Message(room, alice);

        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, ev), aliceToken, new { reason = new string('x', 1024) }));
    }

    [Fact]
    public async Task Body_over_64_KiB_returns_413_M_TOO_LARGE()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (_, aliceToken) = relay.User("alice");
        var body = "{\"reason\":\"" + new string('x', 70 * 1024) + "\"}";

        var response = await relay.PostRawAsync(RelayHarness.EventReportPath("!r:hs.test", "$e"), aliceToken, body);

        await MatrixAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "M_TOO_LARGE");
        await AssertNothingStoredAsync(relay);
    }

    [Fact]
    public async Task Body_over_64_KiB_sent_chunked_without_length_returns_413_M_TOO_LARGE()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (_, aliceToken) = relay.User("alice");
        var bytes = System.Text.Encoding.UTF8.GetBytes("{\"reason\":\"" + new string('x', 70 * 1024) + "\"}");
        var request = new HttpRequestMessage(HttpMethod.Post, RelayHarness.EventReportPath("!r:hs.test", "$e"))
        {
            Content = new StreamContent(new MemoryStream(bytes)),
        };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = new("Bearer", aliceToken);

        await MatrixAssert.ErrorAsync(await relay.Client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "M_TOO_LARGE");
    }

    [Theory]
    [InlineData("room", "!r:hs.test", "not-an-event")]
    [InlineData("room", "r:hs.test", "$e")]
    [InlineData("room", "!r:bad_server!", "$e")]
    [InlineData("room", "!r:hs.test", "$e vil")]
    [InlineData("room", "!..\\..:hs.test", "$e")]
    [InlineData("room", "LONG", "$e")]
    [InlineData("user", "@nocolon", "")]
    [InlineData("user", "@:hs.test", "")]
    [InlineData("user", "LONG", "")]
    [InlineData("roomreport", "#alias:hs.test", "")]
    public async Task Invalid_or_over_long_ids_return_400_M_INVALID_PARAM(string kind, string first, string second)
    {
        await using var relay = await RelayHarness.StartAsync();
        var (_, aliceToken) = relay.User("alice");
        string Long(string sigil) => sigil + new string('a', 250) + ":hs.test";
        var path = kind switch
        {
            "room" => RelayHarness.EventReportPath(first == "LONG" ? Long("!") : first, second),
            "user" => RelayHarness.UserReportPath(first == "LONG" ? Long("@") : first),
            _ => RelayHarness.RoomReportPath(first),
        };

        var response = await relay.PostAsync(path, aliceToken, new { reason = "x" });

        await MatrixAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "M_INVALID_PARAM");
        Assert.DoesNotContain(relay.Homeserver.Requests, r => r.Path.Contains("/event/", StringComparison.Ordinal));
        await AssertNothingStoredAsync(relay);
    }

    [Fact]
    public async Task Reporter_over_the_rate_limit_gets_429_M_LIMIT_EXCEEDED_with_retry_after_ms()
    {
        await using var relay = await RelayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:Reports:PerReporterPerMinute"] = "2",
        });
        var (alice, aliceToken) = relay.User("alice");
        var (bob, _) = relay.User("bob");
        var (carol, _) = relay.User("carol");
        var (dave, _) = relay.User("dave");
        var room = relay.Room(alice, bob, carol, dave);
        // Three senders, so the two reports that pass open two cases (one sender's messages would share one).
        foreach (var sender in new[] { bob, carol })
        {
            await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, relay.Message(room, sender)), aliceToken, new { }));
        }

        var response = await relay.PostAsync(RelayHarness.EventReportPath(room, relay.Message(room, dave)), aliceToken, new { });

        var body = await MatrixAssert.ErrorAsync(response, HttpStatusCode.TooManyRequests, "M_LIMIT_EXCEEDED");
        var retryAfter = (long)body["retry_after_ms"]!;
        Assert.InRange(retryAfter, 1, 60_000);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(2, (await relay.Cases.ListCasesAsync(new CaseQuery())).Count);
    }

    [Fact]
    public async Task Rate_limit_is_per_reporter()
    {
        await using var relay = await RelayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:Reports:PerReporterPerMinute"] = "1",
        });
        var (alice, aliceToken) = relay.User("alice");
        var (bob, bobToken) = relay.User("bob");
        var room = relay.Room(alice, bob);

        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, relay.Message(room, alice)), aliceToken, new { }));
        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, relay.Message(room, alice)), bobToken, new { }));
        await MatrixAssert.ErrorAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, relay.Message(room, alice)), aliceToken, new { }),
            HttpStatusCode.TooManyRequests, "M_LIMIT_EXCEEDED");
    }

    [Fact]
    public async Task Homeserver_outage_returns_502_and_stores_nothing()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var room = relay.Room(alice);
        var ev = relay.Message(room, alice);
        relay.Homeserver.InjectFault(r => r.Path.Contains("/event/", StringComparison.Ordinal), TestHomeserver.Fault.Status(503));

        var response = await relay.PostAsync(RelayHarness.EventReportPath(room, ev), aliceToken, new { reason = "x" });

        await MatrixAssert.ErrorAsync(response, HttpStatusCode.BadGateway, "M_UNKNOWN");
        await AssertNothingStoredAsync(relay);
    }

    [Fact]
    public async Task Truncated_homeserver_answer_returns_502_and_stores_nothing()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var room = relay.Room(alice);
        var ev = relay.Message(room, alice);
        relay.Homeserver.InjectFault(r => r.Path.EndsWith("/whoami", StringComparison.Ordinal), TestHomeserver.Fault.TruncatedJson);

        var response = await relay.PostAsync(RelayHarness.EventReportPath(room, ev), aliceToken, new { reason = "x" });

        await MatrixAssert.ErrorAsync(response, HttpStatusCode.BadGateway, "M_UNKNOWN");
        await AssertNothingStoredAsync(relay);
    }

    [Theory]
    [InlineData("GET", "/_matrix/client/v3/rooms/!r:hs.test/report/$e", HttpStatusCode.MethodNotAllowed)]
    [InlineData("PUT", "/_matrix/client/v3/users/@u:hs.test/report", HttpStatusCode.MethodNotAllowed)]
    [InlineData("POST", "/_matrix/client/v3/no/such/thing", HttpStatusCode.NotFound)]
    [InlineData("GET", "/_matrix/client/v1/nothing", HttpStatusCode.NotFound)]
    public async Task Unknown_paths_and_wrong_methods_return_M_UNRECOGNIZED(string method, string path, HttpStatusCode status)
    {
        await using var relay = await RelayHarness.StartAsync();
        var response = await relay.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await MatrixAssert.ErrorAsync(response, status, "M_UNRECOGNIZED");
    }
}
