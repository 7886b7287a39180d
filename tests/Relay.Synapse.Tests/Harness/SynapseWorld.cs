using System.Text.Json.Nodes;

namespace Relay.Synapse.Tests.Harness;

/// <summary>
/// One Synapse, one <c>relay serve</c> registered with it, and nginx routing the README's report paths to Relay: shared by
/// every test of the suite (they run one after another; each makes its own users and rooms). Relay is configured as an
/// operator would: one community moderator, and event reports forwarded to the homeserver's admins too.
/// </summary>
public sealed class SynapseWorld : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("relay-synapse-suite-").FullName;

    public SynapseTarget Target { get; } = SynapseTarget.FromEnvironment();

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public SynapseUsers Users { get; private set; } = null!;

    /// <summary>A Synapse server admin, to read Synapse's own tables through its admin API.</summary>
    public MatrixUser Admin { get; private set; } = null!;

    /// <summary>Relay__Community__Moderators__0: gets the cases with no room and about rooms Relay does not protect.</summary>
    public MatrixUser CommunityModerator { get; private set; } = null!;

    public RelayServer Relay { get; private set; } = null!;

    public ReadmeProxy Proxy { get; private set; } = null!;

    public string ServerName => Admin.ServerName;

    public string Bot => $"@{Target.Registration.SenderLocalpart}:{ServerName}";

    public async Task InitializeAsync()
    {
        Users = new SynapseUsers(Target, Http);
        Admin = await Users.CreateAsync("admin", admin: true);
        CommunityModerator = await Users.CreateAsync("cmod");
        Relay = await StartRelayAsync();
        Console.WriteLine($"Relay's log: {Relay.LogFile}");
        Proxy = await ReadmeProxy.StartAsync(Target.Url, Relay.Url);
    }

    /// <summary>Stops Relay and starts it again on the same store, with <paramref name="extra"/> settings on top.</summary>
    public async Task RestartRelayAsync(IReadOnlyDictionary<string, string>? extra = null)
    {
        await Relay.DisposeAsync();
        Relay = await StartRelayAsync(extra);
    }

    private Task<RelayServer> StartRelayAsync(IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Relay__Community__Moderators__0"] = CommunityModerator.UserId,
            ["Relay__Reports__ForwardToHomeserverByDefault"] = "true",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }
        return RelayServer.StartAsync(Target, ServerName, Path.Combine(_data, "relay.db"), settings);
    }

    /// <summary>
    /// A public room moderated by a fresh <c>mod</c>, with <c>alice</c> and <c>mallory</c> in it and a message of
    /// mallory's; protected the README's way: the moderator gives the bot power to redact, kick and ban, and invites it.
    /// </summary>
    public async Task<Community> ProtectedRoomAsync()
    {
        var community = await RoomAsync();
        var levels = (await community.Mod.StateAsync(community.Room, "m.room.power_levels"))!;
        levels["users"]![Bot] = 50;
        await community.Mod.SetStateAsync(community.Room, "m.room.power_levels", "", levels);
        await community.Mod.InviteAsync(community.Room, Bot);
        await Relay.WaitForLogAsync("Now protecting", community.Room);
        Assert.Equal("join", await community.Mod.MembershipAsync(community.Room, Bot));
        return community;
    }

    /// <summary>As <see cref="ProtectedRoomAsync"/>, without the bot: a room Relay does not protect.</summary>
    public async Task<Community> RoomAsync()
    {
        var mod = await Users.CreateAsync("mod");
        var alice = await Users.CreateAsync("alice");
        var mallory = await Users.CreateAsync("mallory");
        var room = await mod.CreateRoomAsync();
        await alice.JoinAsync(room);
        await mallory.JoinAsync(room);
        var spam = await mallory.SayAsync(room, "buy cheap followers at spam.example");
        return new Community(room, mod, alice, mallory, spam);
    }

    /// <summary>Synapse's own record of event reports about <paramref name="room"/> (its admin API).</summary>
    public async Task<List<JsonObject>> SynapseEventReportsAsync(string room) =>
        [.. ((JsonArray)(await Harness.Http.OkAsync(Http, HttpMethod.Get,
            new Uri(Target.Url, $"_synapse/admin/v1/event_reports?room_id={Harness.Http.Escape(room)}"), Admin.Token))["event_reports"]!)
            .OfType<JsonObject>()];

    /// <summary>A client request straight to Relay (as the README's proxy would pass it on).</summary>
    public Task<(int Status, JsonObject Body)> ToRelayAsync(MatrixUser user, string path, JsonObject body) =>
        Harness.Http.SendAsync(Http, HttpMethod.Post, new Uri(Relay.Url, path), user.Token, body);

    public async Task DisposeAsync()
    {
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }
        if (Relay is not null)
        {
            await Relay.DisposeAsync();
        }
        Http.Dispose();
    }
}

/// <summary>A room, its moderator, a member who reports and one who is reported, and the reported message.</summary>
public sealed record Community(string Room, MatrixUser Mod, MatrixUser Alice, MatrixUser Mallory, string Spam);

[CollectionDefinition(Name)]
public sealed class SynapseCollection : ICollectionFixture<SynapseWorld>
{
    public const string Name = "synapse";
}
