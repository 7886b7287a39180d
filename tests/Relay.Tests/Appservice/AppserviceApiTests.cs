using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Relay.Tests.Harness;

namespace Relay.Tests.Appservice;

public sealed class AppserviceApiTests
{
    private static HttpRequestMessage Request(HttpMethod method, string path, string? bearer, string body = """{"events":[]}""")
    {
        var request = new HttpRequestMessage(method, path);
        if (method != HttpMethod.Get)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return request;
    }

    [Fact]
    public async Task Transaction_pushed_by_the_homeserver_is_acknowledged_with_an_empty_object()
    {
        await using var relay = await RelayHarness.StartAsync();

        var body = await MatrixAssert.OkAsync(await relay.PushAsync([]));

        Assert.Empty(body);
        Assert.Empty(relay.Homeserver.Violations);
    }

    [Theory]
    [InlineData("/_matrix/app/v1/transactions/1")]
    [InlineData("/transactions/1")]
    public async Task Both_auth_styles_are_accepted_on_prefixed_and_legacy_paths(string path)
    {
        await using var relay = await RelayHarness.StartAsync();
        var hs = relay.Homeserver.HsToken;

        var bearer = await relay.Client.SendAsync(Request(HttpMethod.Put, path, hs));
        var query = await relay.Client.SendAsync(Request(HttpMethod.Put, $"{path}2?access_token={Uri.EscapeDataString(hs)}", null));

        await MatrixAssert.OkAsync(bearer);
        await MatrixAssert.OkAsync(query);
    }

    [Theory]
    [InlineData("PUT", "/_matrix/app/v1/transactions/1")]
    [InlineData("PUT", "/transactions/1")]
    [InlineData("POST", "/_matrix/app/v1/ping")]
    [InlineData("GET", "/_matrix/app/v1/users/@relay:hs.test")]
    [InlineData("GET", "/users/@relay:hs.test")]
    [InlineData("GET", "/_matrix/app/v1/rooms/%23relay-case-x:hs.test")]
    [InlineData("GET", "/rooms/%23relay-case-x:hs.test")]
    public async Task Every_appservice_route_refuses_missing_and_wrong_tokens(string method, string path)
    {
        await using var relay = await RelayHarness.StartAsync();

        var missing = await relay.Client.SendAsync(Request(new HttpMethod(method), path, null));
        var wrong = await relay.Client.SendAsync(Request(new HttpMethod(method), path, relay.Homeserver.AsToken));
        var wrongQuery = await relay.Client.SendAsync(Request(new HttpMethod(method), path + "?access_token=nope", null));

        await MatrixAssert.ErrorAsync(missing, HttpStatusCode.Unauthorized, "M_UNAUTHORIZED");
        await MatrixAssert.ErrorAsync(wrong, HttpStatusCode.Forbidden, "M_FORBIDDEN");
        await MatrixAssert.ErrorAsync(wrongQuery, HttpStatusCode.Forbidden, "M_FORBIDDEN");
    }

    [Fact]
    public async Task Ping_answers_an_empty_object()
    {
        await using var relay = await RelayHarness.StartAsync();

        var response = await relay.Client.SendAsync(Request(HttpMethod.Post, "/_matrix/app/v1/ping", relay.Homeserver.HsToken,
            """{"transaction_id":"mautrix-go_1683636478256400935_123"}"""));

        Assert.Empty(await MatrixAssert.OkAsync(response));
    }

    [Fact]
    public async Task Homeserver_ping_round_trip_reaches_relay_and_reports_how_long_relay_took()
    {
        var gate = new PingGate();
        await using var relay = await RelayHarness.StartAsync(services: s => s.AddSingleton<IStartupFilter>(gate));
        relay.ConnectAppservice();

        var pinging = relay.Bot.PingAsync("t-1");
        // The event: Relay's ping route has the homeserver's request, with the transaction ID the bot asked for.
        var transactionId = await gate.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var held = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromMilliseconds(150));
        held.Stop();
        gate.Release.TrySetResult();
        var duration = await pinging.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("t-1", transactionId);
        // The homeserver's clock ran over the whole time Relay held the request, so the duration covers it.
        Assert.True(duration >= TimeSpan.FromMilliseconds(Math.Floor(held.Elapsed.TotalMilliseconds)),
            $"ping took {duration}, Relay held it {held.Elapsed}");
        Assert.Empty(relay.Homeserver.Violations);
    }

    /// <summary>Holds Relay's ping route until released, after saying which transaction ID it got.</summary>
    private sealed class PingGate : IStartupFilter
    {
        public TaskCompletionSource<string?> Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, following) =>
            {
                if (context.Request.Path == "/_matrix/app/v1/ping")
                {
                    context.Request.EnableBuffering();
                    var body = await JsonNode.ParseAsync(context.Request.Body);
                    context.Request.Body.Position = 0;
                    Arrived.TrySetResult((string?)body?["transaction_id"]);
                    await Release.Task;
                }
                await following(context);
            });
            next(app);
        };
    }

    [Theory]
    [InlineData("/_matrix/app/v1/users/@relay:hs.test", HttpStatusCode.OK)]
    [InlineData("/users/@relay:hs.test", HttpStatusCode.OK)]
    [InlineData("/_matrix/app/v1/users/@relay-other:hs.test", HttpStatusCode.NotFound)]
    [InlineData("/_matrix/app/v1/users/@alice:hs.test", HttpStatusCode.NotFound)]
    [InlineData("/_matrix/app/v1/rooms/%23relay-case-01abc:hs.test", HttpStatusCode.NotFound)]
    [InlineData("/rooms/%23anything:hs.test", HttpStatusCode.NotFound)]
    public async Task User_and_room_queries_answer_for_the_bot_only(string path, HttpStatusCode expected)
    {
        await using var relay = await RelayHarness.StartAsync();

        var response = await relay.Client.SendAsync(Request(HttpMethod.Get, path, relay.Homeserver.HsToken));

        if (expected == HttpStatusCode.OK)
        {
            Assert.Empty(await MatrixAssert.OkAsync(response));
        }
        else
        {
            await MatrixAssert.ErrorAsync(response, expected, "M_NOT_FOUND");
        }
    }

    [Fact]
    public async Task Wrong_method_and_unknown_paths_answer_M_UNRECOGNIZED()
    {
        await using var relay = await RelayHarness.StartAsync();
        var hs = relay.Homeserver.HsToken;

        var wrongMethod = await relay.Client.SendAsync(Request(HttpMethod.Get, "/_matrix/app/v1/transactions/1", hs));
        var wrongPing = await relay.Client.SendAsync(Request(HttpMethod.Get, "/_matrix/app/v1/ping", hs));
        var unknown = await relay.Client.SendAsync(Request(HttpMethod.Get, "/_matrix/app/v1/thirdparty/protocol/irc", hs));

        await MatrixAssert.ErrorAsync(wrongMethod, HttpStatusCode.MethodNotAllowed, "M_UNRECOGNIZED");
        await MatrixAssert.ErrorAsync(wrongPing, HttpStatusCode.MethodNotAllowed, "M_UNRECOGNIZED");
        await MatrixAssert.ErrorAsync(unknown, HttpStatusCode.NotFound, "M_UNRECOGNIZED");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_and_not_remembered()
    {
        await using var relay = await RelayHarness.StartAsync();

        var bad = await relay.Client.SendAsync(Request(HttpMethod.Put, "/_matrix/app/v1/transactions/9", relay.Homeserver.HsToken, "{nope"));

        await MatrixAssert.ErrorAsync(bad, HttpStatusCode.BadRequest, "M_NOT_JSON");
    }

    [Fact]
    public async Task A_transaction_with_invalid_UTF8_inside_an_event_is_refused_as_not_json_not_a_500()
    {
        await using var relay = await RelayHarness.StartAsync();
        byte[] body =
        [
            .. "{\"events\":[{\"type\":\"m.reaction\",\"room_id\":\"!r:hs.test\",\"event_id\":\"$1\",\"sender\":\"@a:hs.test\",\"content\":{\"m.relates_to\":{\"rel_type\":\"m.annotation\",\"event_id\":\"$0\",\"key\":\""u8,
            0xFF, 0xC0,
            .. "\"}}}]}"u8,
        ];
        using var request = new HttpRequestMessage(HttpMethod.Put, "/_matrix/app/v1/transactions/utf8") { Content = new ByteArrayContent(body) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", relay.Homeserver.HsToken);

        var response = await relay.Client.SendAsync(request);

        await MatrixAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "M_NOT_JSON");
    }

    [Fact]
    public async Task Events_relay_does_not_act_on_are_ignored()
    {
        await using var relay = await RelayHarness.StartAsync();
        var transaction = JsonNode.Parse("""
            {
              "events": [
                {"type":"m.room.message","room_id":"!r:hs.test","event_id":"$1","sender":"@a:hs.test","origin_server_ts":1,
                 "content":{"msgtype":"m.text","body":"hi"},"unsigned":{"age":5}},
                {"type":"m.room.topic","state_key":"","room_id":"!r:hs.test","event_id":"$2","sender":"@a:hs.test","origin_server_ts":1,
                 "content":{"topic":"t"},"unsigned":{"age":5,"prev_content":{"topic":"s"}}},
                {"type":"m.room.member","state_key":"@someone:hs.test","room_id":"!r:hs.test","event_id":"$3","sender":"@a:hs.test",
                 "origin_server_ts":1,"content":{"membership":"invite"}},
                {"type":"m.reaction","room_id":"!r:hs.test","event_id":"$4","sender":"@a:hs.test","origin_server_ts":1,
                 "content":{"m.relates_to":{"rel_type":"m.annotation","event_id":"$1","key":"👍"}}},
                {"type":"org.example.custom","room_id":"!r:hs.test","event_id":"$5","sender":"@a:hs.test","origin_server_ts":1,"content":{}},
                {"type":"m.room.encrypted","room_id":"!r:hs.test","event_id":"$6","sender":"@a:hs.test","origin_server_ts":1,
                 "content":{"algorithm":"m.megolm.v1.aes-sha2","ciphertext":"x"}},
                42, "junk", {"no_type": true}
              ],
              "ephemeral": [{"type":"m.typing","room_id":"!r:hs.test","content":{"user_ids":["@a:hs.test"]}}],
              "de.sorunome.msc2409.to_device": [{"type":"m.room_key_request","sender":"@a:hs.test","content":{}}],
              "org.matrix.msc3202.device_lists": {"changed":["@a:hs.test"]}
            }
            """)!.ToJsonString();

        var response = await relay.Client.SendAsync(Request(HttpMethod.Put, "/_matrix/app/v1/transactions/x", relay.Homeserver.HsToken, transaction));

        Assert.Empty(await MatrixAssert.OkAsync(response));
        Assert.DoesNotContain(relay.Homeserver.Requests, r => !r.Path.EndsWith("/ping", StringComparison.Ordinal));
        Assert.Equal(0, await relay.Queue.CountAsync());
    }
}
