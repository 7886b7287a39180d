using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Relay.Core.Queue;
using Relay.Host.Composition;
using Relay.Sqlite;

namespace Relay.Benchmarks.Load;

/// <summary>
/// Relay built exactly as <c>relay serve</c> builds it (<see cref="RelayApp.Build"/>: real Kestrel on a loopback
/// port, SQLite in a temp file), pointed at the loopback test homeserver. No log providers: the figures
/// measure Relay, not a console.
/// </summary>
public sealed class InProcessRelay : IAsyncDisposable
{
    private readonly string _directory;

    private InProcessRelay(TestHomeserver.TestHomeserver homeserver, WebApplication app, string directory)
    {
        Homeserver = homeserver;
        App = app;
        _directory = directory;
        BaseAddress = new Uri(app.Urls.First());
    }

    public TestHomeserver.TestHomeserver Homeserver { get; }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    /// <summary>True when a handler for report.received (the OpenCase work of the case-rooms branch) is wired.</summary>
    public bool OpensCaseRooms => App.Services.GetServices<IQueueHandler>().Any(h => h.Topic == Topics.ReportReceived);

    /// <param name="runQueue">False stops the in-process queue worker, so an intake figure measures intake only.</param>
    public static async Task<InProcessRelay> StartAsync(bool runQueue, IDictionary<string, string?>? settings = null)
    {
        var homeserver = await TestHomeserver.TestHomeserver.StartAsync();
        var directory = Directory.CreateTempSubdirectory("relay-bench-").FullName;
        var config = Settings(homeserver, Path.Combine(directory, "relay.db"));
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }
        var app = await StartAppAsync(config, runQueue, "http://127.0.0.1:0");
        return new InProcessRelay(homeserver, app, directory);
    }

    /// <summary>Protects the world's rooms as their owner's invite of the bot would, so their moderators get the cases.</summary>
    public async Task ProtectAsync(ReportWorld world)
    {
        var store = App.Services.GetRequiredService<Relay.Core.Appservice.IProtectedRoomStore>();
        var owner = Relay.Core.Identifiers.UserId.Parse($"@owner:{Homeserver.ServerName}");
        foreach (var room in world.Rooms)
        {
            await store.ProtectAsync(Relay.Core.Identifiers.RoomId.Parse(room), owner, DateTimeOffset.UtcNow);
        }
    }

    /// <summary>
    /// Relay as <c>relay serve</c> builds it, with <paramref name="config"/> and no log providers, listening on
    /// <paramref name="url"/>; <paramref name="services"/> may add to its services (e.g. a handler on its HTTP clients).
    /// </summary>
    public static async Task<WebApplication> StartAppAsync(IDictionary<string, string?> config, bool runQueue, string url,
        Action<IServiceCollection>? services = null)
    {
        var app = RelayApp.Build(["--urls", url], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.ClearProviders();
            if (Environment.GetEnvironmentVariable("RELAY_BENCH_LOG") is "1")
            {
                builder.Logging.AddSimpleConsole(); // to see why a figure failed; never for a measured run
            }
            if (!runQueue)
            {
                foreach (var worker in builder.Services.Where(d => d.ImplementationType == typeof(StartWhenStoreReady<EmbeddedQueueService>)).ToList())
                {
                    builder.Services.Remove(worker);
                }
            }
            services?.Invoke(builder.Services);
        });
        await app.InitializeRelayAsync();
        await app.StartAsync();
        return app;
    }

    /// <summary>The settings of every Relay in the figures; rate limits are raised so they are not what is measured.</summary>
    public static Dictionary<string, string?> Settings(TestHomeserver.TestHomeserver homeserver, string dataPath) => new()
    {
        ["Relay:Homeserver:Url"] = homeserver.BaseUrl.ToString(),
        ["Relay:Homeserver:ServerName"] = homeserver.ServerName,
        ["Relay:Appservice:AsToken"] = homeserver.AsToken,
        ["Relay:Appservice:HsToken"] = homeserver.HsToken,
        ["Relay:Appservice:PingOnStart"] = "false",
        ["Relay:Data:Path"] = dataPath,
        ["Relay:Reports:PerReporterPerMinute"] = "1000000",
        ["Relay:Reports:PerRoomPerMinute"] = "1000000",
        // One case (and room) per event, unlimited: these figures measure per-case work, not raid grouping.
        ["Relay:Cases:OffenderScope"] = "event",
        ["Relay:Cases:CaseRoomsPerHour"] = "10000",
        ["Relay:Reports:WhoAmICacheSeconds"] = "3600",
    };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Homeserver.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open does not spoil a measurement; the OS cleans temp folders.
        }
    }
}
