using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Relay.TestHomeserver.Appservice;
using Relay.TestHomeserver.Auth;
using Relay.TestHomeserver.Endpoints;
using Relay.TestHomeserver.Http;
using Relay.TestHomeserver.State;

namespace Relay.TestHomeserver;

/// <summary>
/// An in-memory Matrix homeserver on a loopback port that serves the client-server endpoints Relay uses,
/// refuses (and records) requests that break the spec, and injects faults on demand.
/// </summary>
public sealed class TestHomeserver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HomeserverCore _core;
    private readonly AppserviceClient _appserviceClient;
    private readonly TransactionPusher? _pusher;

    private TestHomeserver(WebApplication app, HomeserverCore core, Uri baseUrl)
    {
        _app = app;
        _core = core;
        _appserviceClient = new AppserviceClient(core);
        _pusher = core.Options.PushTransactions ? new TransactionPusher(core, _appserviceClient) : null;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public string ServerName => _core.ServerName;

    public string AsToken => _core.Appservice.AsToken;

    public string HsToken => _core.Appservice.HsToken;

    public string SenderLocalpart => _core.Options.SenderLocalpart;

    /// <summary>The appservice bot, <c>@{SenderLocalpart}:{ServerName}</c>.</summary>
    public string SenderUserId => _core.Appservice.SenderUserId;

    public string AppserviceId => _core.Appservice.Id;

    /// <summary>Where transactions and pings go; null means not set (pings answer M_URL_NOT_SET).</summary>
    public Uri? AppserviceUrl
    {
        get => _core.AppserviceUrl;
        set => _core.AppserviceUrl = value;
    }

    public IReadOnlyList<RecordedRequest> Requests => _core.Recorder.Requests;

    public IReadOnlyList<string> Violations => _core.Recorder.Violations;

    public IReadOnlyList<ReceivedReport> Reports => _core.State.Reports;

    public static async Task<TestHomeserver> StartAsync(TestHomeserverOptions? options = null, CancellationToken ct = default)
    {
        options ??= new TestHomeserverOptions();
        var core = new HomeserverCore(options, Registration(options));
        var routes = new RouteTable()
            .MapVersions()
            .MapAccount()
            .MapEvents()
            .MapMessages()
            .MapReports()
            .MapDirectory()
            .MapCreateRoom()
            .MapSend()
            .MapState()
            .MapMembership()
            .MapSync()
            .MapAppservicePing();
        var pipeline = new HomeserverPipeline(core, routes);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Development",
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        var app = builder.Build();
        app.Run(pipeline.HandleAsync);
        await app.StartAsync(ct);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TestHomeserver(app, core, new Uri(address.TrimEnd('/') + "/"));
    }

    public string RegisterUser(string userId) => _core.State.RegisterUser(MatrixIds.UserId(userId));

    public void AddToken(string userId, string token) => _core.State.AddToken(MatrixIds.UserId(userId), token);

    public void RevokeToken(string token) => _core.State.RevokeToken(token);

    /// <summary>Creates a room directly (no HTTP, no checks) and returns its id.</summary>
    public string CreateRoom(string creator, RoomSetup? setup = null) =>
        RoomSeeder.Create(_core.State, creator, setup ?? new RoomSetup()).Id;

    public void Join(string roomId, string userId) => SetMembership(roomId, userId, userId, "join");

    public void Leave(string roomId, string userId) => SetMembership(roomId, userId, userId, "leave");

    /// <summary>Writes any m.room.member event, e.g. invite or ban by <paramref name="sender"/>.</summary>
    public void SetMembership(string roomId, string sender, string target, string membership) =>
        _core.State.SetMembership(_core.State.RequireRoom(roomId), sender, target, membership);

    /// <summary>Appends an event without any checks and returns its id.</summary>
    public string SendEvent(string roomId, string sender, string type, JsonObject content, string? stateKey = null) =>
        (string)_core.State.Append(_core.State.RequireRoom(roomId), sender, type, content, stateKey)["event_id"]!;

    /// <summary>The content of the current state event, or null.</summary>
    public JsonObject? GetState(string roomId, string type, string stateKey = "") =>
        GetStateEvent(roomId, type, stateKey)?["content"]?.DeepClone().AsObject();

    /// <summary>The whole current state event (client format), or null.</summary>
    public JsonObject? GetStateEvent(string roomId, string type, string stateKey = "")
    {
        lock (_core.State.Gate)
        {
            var evt = _core.State.RequireRoom(roomId).StateEvent(type, stateKey);
            return evt is null ? null : _core.State.ClientEvent(evt);
        }
    }

    /// <summary>Every event in the room in order, including those the appservice sent.</summary>
    public IReadOnlyList<JsonObject> Timeline(string roomId)
    {
        lock (_core.State.Gate)
        {
            return [.. _core.State.RequireRoom(roomId).Timeline.Select(_core.State.ClientEvent)];
        }
    }

    public IReadOnlyList<string> Members(string roomId, string membership = "join")
    {
        lock (_core.State.Gate)
        {
            return [.. _core.State.RequireRoom(roomId).Members(membership)];
        }
    }

    /// <summary>Every room the homeserver holds, seeded or created over HTTP (e.g. case rooms and DMs the bot made).</summary>
    public IReadOnlyList<string> RoomIds() => _core.State.RoomIds();

    /// <summary>Room directory visibility set by createRoom ("public" or "private").</summary>
    public string RoomVisibility(string roomId)
    {
        lock (_core.State.Gate)
        {
            return _core.State.RequireRoom(roomId).Visibility;
        }
    }

    public string? ResolveAlias(string alias) => _core.State.ResolveAlias(alias);

    public void AddAlias(string alias, string roomId)
    {
        if (!_core.State.TryAddAlias(MatrixIds.Alias(alias), roomId))
        {
            throw new InvalidOperationException($"Alias {alias} already exists");
        }
    }

    /// <summary>The next <paramref name="times"/> requests matching <paramref name="match"/> get <paramref name="fault"/>.</summary>
    public void InjectFault(Func<RecordedRequest, bool> match, Fault fault, int times = 1) => _core.Faults.Add(match, fault, times);

    /// <summary>Drops every injected fault not yet handed out: the homeserver recovers.</summary>
    public void ClearFaults() => _core.Faults.Clear();

    /// <summary>PUT {AppserviceUrl}/_matrix/app/v1/transactions/{txnId} with the hs_token; txnId counts up when null.</summary>
    public Task<HttpResponseMessage> PushTransactionAsync(IEnumerable<JsonObject> events, string? txnId = null, CancellationToken ct = default) =>
        _appserviceClient.PushTransactionAsync(events, txnId, ct);

    public async ValueTask DisposeAsync()
    {
        if (_pusher is not null)
        {
            await _pusher.DisposeAsync();
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
        _core.AppserviceHttp.Dispose();
    }

    private static AppserviceRegistration Registration(TestHomeserverOptions options)
    {
        var server = System.Text.RegularExpressions.Regex.Escape(options.ServerName);
        var local = System.Text.RegularExpressions.Regex.Escape(options.SenderLocalpart);
        return new AppserviceRegistration(
            options.AppserviceId,
            options.AsToken ?? Ids.Token(),
            options.HsToken ?? Ids.Token(),
            $"@{options.SenderLocalpart}:{options.ServerName}",
            options.UserNamespaceRegex ?? $"@{local}.*:{server}",
            options.AliasNamespaceRegex ?? $"#{local}-.*:{server}");
    }
}
