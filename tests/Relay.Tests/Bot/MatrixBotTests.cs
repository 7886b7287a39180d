using System.Text.Json.Nodes;
using Relay.Core.Errors;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Matrix.Bot;
using Relay.TestHomeserver;
using Relay.Tests.Harness;
using Homeserver = Relay.TestHomeserver.TestHomeserver;

namespace Relay.Tests.Bot;

public sealed class MatrixBotTests : IAsyncLifetime, IDisposable
{
    private Homeserver _hs = null!;
    private HttpClient _http = null!;
    private readonly InstantTimeProvider _time = new();

    public async Task InitializeAsync()
    {
        _hs = await Homeserver.StartAsync();
        _http = new HttpClient { BaseAddress = _hs.BaseUrl };
    }

    public async Task DisposeAsync() => await _hs.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private MatrixBot Bot(int maxAttempts = 5, Func<double>? jitter = null) =>
        new(_http, new MatrixBotOptions(_hs.AsToken, UserId.Parse(_hs.SenderUserId), _hs.AppserviceId)
        {
            MaxAttempts = maxAttempts,
            Jitter = jitter ?? Random.Shared.NextDouble,
        }, _time);

    private string User(string localpart)
    {
        var id = $"@{localpart}:{_hs.ServerName}";
        _hs.RegisterUser(id);
        return id;
    }

    [Fact]
    public async Task Create_room_sends_the_full_request_and_the_bot_can_send_into_it()
    {
        var alice = User("alice");
        var bot = Bot();

        var room = await bot.CreateRoomAsync(new RoomCreation
        {
            Preset = "private_chat",
            Visibility = "private",
            RoomAliasName = "relay-case-abc",
            Name = "Case abc",
            Topic = "A report",
            RoomVersion = "11",
            Invite = [UserId.Parse(alice)],
            CreationContent = new JsonObject { ["type"] = "org.matrix.msc4226.report" },
            InitialState = [new InitialStateEvent("m.room.guest_access", new JsonObject { ["guest_access"] = "forbidden" })],
            PowerLevelContentOverride = new JsonObject { ["invite"] = 50 },
        });

        Assert.Equal(room.Value, _hs.ResolveAlias($"#relay-case-abc:{_hs.ServerName}"));
        Assert.Equal("org.matrix.msc4226.report", (string?)_hs.GetState(room.Value, "m.room.create")!["type"]);
        Assert.Equal("forbidden", (string?)_hs.GetState(room.Value, "m.room.guest_access")!["guest_access"]);
        Assert.Equal(50, (int?)_hs.GetState(room.Value, "m.room.power_levels")!["invite"]);
        Assert.Contains(alice, _hs.Members(room.Value, "invite"));
        var sent = await bot.SendMessageAsync(room, "summary-abc", new MatrixMessage("hello"));
        var again = await bot.SendMessageAsync(room, "summary-abc", new MatrixMessage("hello"));
        Assert.Equal(sent, again);
        Assert.Single(_hs.Timeline(room.Value), e => (string?)e["type"] == "m.room.message");
        Assert.Empty(_hs.Violations);
    }

    [Fact]
    public async Task Resolve_alias_and_state_are_null_when_missing()
    {
        var bot = Bot();
        var room = await bot.CreateRoomAsync(new RoomCreation());

        Assert.Null(await bot.ResolveAliasAsync(ParseAlias($"#nothing:{_hs.ServerName}")));
        Assert.Null(await bot.GetStateAsync(room, "m.room.topic"));
        Assert.NotNull(await bot.GetStateAsync(room, "m.room.create"));
        var create = await bot.GetStateEventAsync(room, "m.room.create");
        Assert.Equal(_hs.SenderUserId, create!.Sender.Value);
        Assert.Equal("", create.StateKey);
        Assert.Null(await bot.GetStateEventAsync(room, "m.room.topic"));
        Assert.Null(await bot.GetEventAsync(room, EventId.Parse("$missing")));
        Assert.Empty(_hs.Violations);
    }

    [Fact]
    public async Task A_state_event_read_without_event_id_is_read_from_the_full_state_as_Synapse_before_1_135_needs()
    {
        await using var old = await Homeserver.StartAsync(new TestHomeserverOptions { StateEventWithoutEventId = true });
        using var http = new HttpClient { BaseAddress = old.BaseUrl };
        var bot = new MatrixBot(http, new MatrixBotOptions(old.AsToken, UserId.Parse(old.SenderUserId), old.AppserviceId), _time);
        var room = await bot.CreateRoomAsync(new RoomCreation());

        var create = await bot.GetStateEventAsync(room, "m.room.create");

        Assert.Equal(old.SenderUserId, create!.Sender.Value);
        Assert.StartsWith("$", create.EventId.Value, StringComparison.Ordinal);
        Assert.Contains(old.Requests, r => r.Method == "GET" && r.Path.EndsWith("/state", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Join_invite_kick_ban_redact_and_members_act_on_the_room()
    {
        var alice = User("alice");
        var mallory = User("mallory");
        var room = _hs.CreateRoom(alice, new RoomSetup { Members = [mallory] });
        _hs.SetMembership(room, alice, _hs.SenderUserId, "invite");
        _hs.SetMembership(room, alice, alice, "join");
        var pl = _hs.GetState(room, "m.room.power_levels")!;
        pl["users"]![_hs.SenderUserId] = 100;
        _hs.SendEvent(room, alice, "m.room.power_levels", pl, "");
        var bot = Bot();

        var joined = await bot.JoinAsync(room);
        var spam = _hs.SendEvent(room, mallory, "m.room.message", new JsonObject { ["msgtype"] = "m.text", ["body"] = "x" });
        var fetched = await bot.GetEventAsync(joined, EventId.Parse(spam));
        await bot.RedactAsync(joined, EventId.Parse(spam), "redact-1", "spam");
        var members = await bot.GetJoinedMembersAsync(joined);
        var bob = User("bob");
        await bot.InviteAsync(joined, UserId.Parse(bob));
        await bot.KickAsync(joined, UserId.Parse(mallory), "bye");
        await bot.BanAsync(joined, UserId.Parse(mallory), "gone");
        await bot.SendStateAsync(joined, "m.room.topic", "", new JsonObject { ["topic"] = "t" });
        await bot.LeaveAsync(joined);

        Assert.Equal(room, joined.Value);
        Assert.Equal(mallory, fetched!.Sender.Value);
        Assert.Equal("m.room.message", fetched.Type);
        Assert.Contains(UserId.Parse(_hs.SenderUserId), members);
        Assert.Contains(bob, _hs.Members(room, "invite"));
        Assert.Contains(mallory, _hs.Members(room, "ban"));
        Assert.Equal("t", (string?)_hs.GetState(room, "m.room.topic")!["topic"]);
        Assert.DoesNotContain(_hs.SenderUserId, _hs.Members(room));
        Assert.Empty(_hs.Violations);
    }

    [Fact]
    public async Task Acting_as_a_namespaced_user_masquerades_with_user_id()
    {
        var bot = Bot().ActingAs(UserId.Parse($"@relay-helper:{_hs.ServerName}"));

        var room = await bot.CreateRoomAsync(new RoomCreation());

        Assert.Contains($"@relay-helper:{_hs.ServerName}", _hs.Members(room.Value));
        Assert.Contains(_hs.Requests, r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal) && r.Query.Contains("user_id=", StringComparison.Ordinal));
        Assert.Empty(_hs.Violations);
    }

    [Fact]
    public async Task Rate_limit_is_honoured_with_retry_after_ms_then_succeeds()
    {
        _hs.InjectFault(r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal), Fault.RateLimited(1500), times: 2);

        var room = await Bot().CreateRoomAsync(new RoomCreation());

        Assert.NotNull(_hs.GetState(room.Value, "m.room.create"));
        Assert.Equal([TimeSpan.FromMilliseconds(1500), TimeSpan.FromMilliseconds(1500)], _time.Waits);
        Assert.Empty(_hs.Violations);
    }

    [Theory]
    [InlineData(0.0, 250, 500, 1000)]
    [InlineData(0.5, 375, 750, 1500)]
    public async Task Server_errors_are_retried_with_growing_backoff_half_of_each_step_jittered(double jitter, int first, int second, int third)
    {
        _hs.InjectFault(r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal), Fault.Status(503), times: 3);

        await Bot(jitter: () => jitter).CreateRoomAsync(new RoomCreation());

        Assert.Equal([TimeSpan.FromMilliseconds(first), TimeSpan.FromMilliseconds(second), TimeSpan.FromMilliseconds(third)], _time.Waits);
        Assert.Empty(_hs.Violations);
    }

    [Fact]
    public async Task Backoff_waits_differ_between_deliveries_that_failed_together()
    {
        // Eight deliveries hit the same outage; with jitter they do not all come back at the same moment.
        for (var i = 0; i < 8; i++)
        {
            _hs.InjectFault(r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal), Fault.Status(503), times: 1);
            await Bot(maxAttempts: 2).CreateRoomAsync(new RoomCreation());
        }

        Assert.Equal(8, _time.Waits.Count);
        Assert.All(_time.Waits, w => Assert.InRange(w, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500)));
        Assert.True(_time.Waits.Distinct().Count() > 1, "every wait was the same: no jitter");
    }

    [Fact]
    public async Task Retries_are_bounded_and_the_last_error_surfaces()
    {
        _hs.InjectFault(r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal), Fault.Status(502), times: 10);

        var e = await Assert.ThrowsAsync<MatrixException>(() => Bot(maxAttempts: 3).CreateRoomAsync(new RoomCreation()));

        Assert.Equal(502, e.Error.Status);
        Assert.Equal(2, _time.Waits.Count);
    }

    [Fact]
    public async Task Dropped_connections_are_retried()
    {
        _hs.InjectFault(r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal), Fault.Abort);

        await Bot().CreateRoomAsync(new RoomCreation());

        Assert.Single(_time.Waits);
    }

    [Fact]
    public async Task Client_errors_carry_the_homeservers_errcode_and_are_not_retried()
    {
        var alice = User("alice");
        var room = _hs.CreateRoom(alice);

        var e = await Assert.ThrowsAsync<MatrixException>(() => Bot().JoinAsync(room));

        Assert.Equal(403, e.Error.Status);
        Assert.Equal("M_FORBIDDEN", e.Error.ErrCode);
        Assert.Empty(_time.Waits);
        Assert.Empty(_hs.Violations);
    }

    [Fact]
    public async Task Ping_reports_the_round_trip_or_the_spec_error()
    {
        var e = await Assert.ThrowsAsync<MatrixException>(() => Bot().PingAsync("t1"));
        Assert.Equal("M_URL_NOT_SET", e.Error.ErrCode);

        var wrong = new MatrixBot(_http, new MatrixBotOptions(_hs.AsToken, UserId.Parse(_hs.SenderUserId), "other"), _time);
        var forbidden = await Assert.ThrowsAsync<MatrixException>(() => wrong.PingAsync());
        Assert.Equal("M_FORBIDDEN", forbidden.Error.ErrCode);
        Assert.Empty(_hs.Violations);
    }

    private static RoomAlias ParseAlias(string value) =>
        RoomAlias.TryParse(value, out var alias) ? alias : throw new FormatException(value);
}
