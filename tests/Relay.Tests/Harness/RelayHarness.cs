using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Relay.Core.Cases;
using Relay.Host.Composition;
using Relay.Sqlite;
using Relay.TestHomeserver;

namespace Relay.Tests.Harness;

/// <summary>
/// Relay as <c>relay serve</c> runs it (real Kestrel on a loopback port, embedded SQLite in a temp
/// file), pointed at a test homeserver that follows the spec, with logs captured at Debug.
/// </summary>
public sealed class RelayHarness : IAsyncDisposable
{
    private readonly string _directory;

    private RelayHarness(TestHomeserver.TestHomeserver homeserver, WebApplication app, string directory)
    {
        Homeserver = homeserver;
        App = app;
        _directory = directory;
        Secrets.Add("as_token", homeserver.AsToken);
        Secrets.Add("hs_token", homeserver.HsToken);
        Client = new HttpClient(new SecretRecordingHandler(Secrets)) { BaseAddress = new Uri(app.Urls.First()) };
    }

    /// <summary>What must not appear in the logs; checked when the harness is disposed.</summary>
    public LogSecrets Secrets { get; } = new();

    public TestHomeserver.TestHomeserver Homeserver { get; }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public ICaseStore Cases => App.Services.GetRequiredService<ICaseStore>();

    public SqliteQueue Queue => App.Services.GetRequiredService<SqliteQueue>();

    public FakeLogCollector Logs => App.Services.GetFakeLogCollector();

    /// <summary>Runs the queue handlers on every message due now (the harness runs no background worker).</summary>
    public Task<int> RunQueueAsync() => App.Services.GetRequiredService<EmbeddedQueueWorker>().RunOnceAsync();

    public string DataPath => Path.Combine(_directory, "relay.db");

    /// <summary>The appservice bot as Relay resolved it from DI.</summary>
    public Relay.Core.Homeserver.IMatrixBot Bot => App.Services.GetRequiredService<Relay.Core.Homeserver.IMatrixBot>();

    public static Task<RelayHarness> StartAsync(
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null) =>
        StartAsync(_ => settings ?? new Dictionary<string, string?>(), services);

    /// <summary>Settings that depend on the homeserver's state (e.g. room IDs) are computed before Relay starts.</summary>
    public static async Task<RelayHarness> StartAsync(
        Func<TestHomeserver.TestHomeserver, IDictionary<string, string?>> settingsFor,
        Action<IServiceCollection>? services = null)
    {
        var homeserver = await TestHomeserver.TestHomeserver.StartAsync();
        var settings = settingsFor(homeserver);
        var directory = Directory.CreateTempSubdirectory("relay-test-").FullName;
        var config = new Dictionary<string, string?>
        {
            ["Relay:Homeserver:Url"] = homeserver.BaseUrl.ToString(),
            ["Relay:Homeserver:ServerName"] = homeserver.ServerName,
            ["Relay:Appservice:AsToken"] = homeserver.AsToken,
            ["Relay:Appservice:HsToken"] = homeserver.HsToken,
            ["Relay:Data:Path"] = Path.Combine(directory, "relay.db"),
            // An idle trim compacts the whole test host's heap; tests that want one ask for it.
            ["Relay:Memory:IdleTrimSeconds"] = "0",
        };
        foreach (var (key, value) in settings)
        {
            config[key] = value;
        }
        var app = RelayApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddFakeLogging();
            // Tests drive the queue themselves (RunQueueAsync), so what a handler did is known when the call returns.
            foreach (var worker in builder.Services.Where(d => d.ImplementationType == typeof(StartWhenStoreReady<EmbeddedQueueService>)
                         || d.ImplementationType == typeof(StartWhenStoreReady<EmbeddedSweepService>)).ToList())
            {
                builder.Services.Remove(worker);
            }
            services?.Invoke(builder.Services);
        });
        await app.InitializeRelayAsync();
        await app.StartAsync();
        return new RelayHarness(homeserver, app, directory);
    }

    /// <summary>A registered user and their access token.</summary>
    public (string UserId, string Token) User(string localpart)
    {
        var userId = $"@{localpart}:{Homeserver.ServerName}";
        return (userId, Homeserver.RegisterUser(userId));
    }

    /// <summary>A room created by <paramref name="creator"/> with <paramref name="members"/> joined.</summary>
    public string Room(string creator, params string[] members) =>
        Homeserver.CreateRoom(creator, new RoomSetup { Members = members });

    public string Message(string roomId, string sender, string body = "hello") =>
        Homeserver.SendEvent(roomId, sender, "m.room.message", new JsonObject { ["msgtype"] = "m.text", ["body"] = body });

    public Task<HttpResponseMessage> PostAsync(string path, string? token, object? body) =>
        SendAsync(path, token, body is null ? null : JsonContent.Create(body));

    public Task<HttpResponseMessage> PostRawAsync(string path, string? token, string body, string contentType = "application/json") =>
        SendAsync(path, token, new StringContent(body, System.Text.Encoding.UTF8, contentType));

    private Task<HttpResponseMessage> SendAsync(string path, string? token, HttpContent? content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        return Client.SendAsync(request);
    }

    /// <summary>Points the homeserver's appservice registration at this Relay (for transactions and pings).</summary>
    public void ConnectAppservice() => Homeserver.AppserviceUrl ??= new Uri(App.Urls.First());

    /// <summary>Pushes a transaction to Relay as the homeserver does.</summary>
    public Task<HttpResponseMessage> PushAsync(IEnumerable<JsonObject> events, string? txnId = null)
    {
        ConnectAppservice();
        events = [.. events];
        foreach (var e in events.Where(e => (string?)e["type"] is "m.reaction" or "m.room.message"))
        {
            // Anyone who reacts or writes to the bot may be a reporter (🚩, !report, a DM with a link).
            if ((string?)e["sender"] is { } sender && sender != Homeserver.SenderUserId)
            {
                Secrets.Add("reporter ID", sender);
            }
        }
        return Homeserver.PushTransactionAsync(events, txnId);
    }

    /// <summary>The last event of the room's timeline, as the homeserver would push it.</summary>
    public JsonObject LastEvent(string roomId) => Homeserver.Timeline(roomId)[^1];

    /// <summary>Runs queued work now and until <paramref name="done"/> holds (bounded: fails after 10 s).</summary>
    public async Task RunQueueUntilAsync(Func<Task<bool>> done)
    {
        var worker = App.Services.GetRequiredService<EmbeddedQueueWorker>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            await worker.RunOnceAsync();
            if (await done())
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Queued work did not finish in 10 s.");
            }
            await Task.Delay(20);
        }
    }

    public Task RunQueueUntilAsync(Func<bool> done) => RunQueueUntilAsync(() => Task.FromResult(done()));

    public static string EventReportPath(string roomId, string eventId, string version = "v3") =>
        $"/_matrix/client/{version}/rooms/{Uri.EscapeDataString(roomId)}/report/{Uri.EscapeDataString(eventId)}";

    public static string RoomReportPath(string roomId) => $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/report";

    public static string UserReportPath(string userId) => $"/_matrix/client/v3/users/{Uri.EscapeDataString(userId)}/report";

    public static string SafetyReportPath(string txnId) =>
        $"/_matrix/client/unstable/org.matrix.msc4457/safety/report/{Uri.EscapeDataString(txnId)}";

    /// <summary>Log records so far that hold a token, reason, contact e-mail or reporter ID the test sent.</summary>
    public IReadOnlyList<string> FindSecretsInLogs()
    {
        foreach (var reporter in Homeserver.Requests.Where(r => r.Path.EndsWith("/account/whoami", StringComparison.Ordinal)))
        {
            if (reporter.UserId is { } id && id != Homeserver.SenderUserId)
            {
                Secrets.Add("reporter ID", id);
            }
        }
        return Secrets.FindIn(Logs.GetSnapshot());
    }

    /// <summary>Stops Relay, then fails the test if any log record holds a secret (every harness-based test checks this).</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        var leaks = FindSecretsInLogs();
        await App.DisposeAsync();
        await Homeserver.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open must not fail the test; the temp folder is cleaned by the OS.
        }
        if (leaks.Count > 0)
        {
            throw new InvalidOperationException("Relay logged secrets:\n  " + string.Join("\n  ", leaks));
        }
    }
}
