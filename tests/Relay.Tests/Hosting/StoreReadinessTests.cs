using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Relay.Host.Composition;
using Relay.Sqlite;
using Relay.Tests.Harness;

namespace Relay.Tests.Hosting;

/// <summary>relay serve listens while the store is prepared; what needs the store waits for it.</summary>
public sealed class StoreReadinessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("relay-readiness-").FullName;

    private string DataPath => Path.Combine(_directory, "relay.db");

    [Fact]
    public async Task A_request_that_arrives_before_the_store_is_prepared_is_answered_once_it_is()
    {
        await using var app = await StartUnpreparedAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var readiness = app.Services.GetRequiredService<StoreReadiness>();

        var pending = client.GetAsync(new Uri("/healthz", UriKind.Relative));
        // The event that matters: the request is being held at the gate (counted there), not merely not answered yet.
        await readiness.WaitForHeldAsync(1).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(pending.IsCompleted, "answered before the store was prepared");
        await app.PrepareStoreAsync();
        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Requests_get_503_M_UNKNOWN_when_the_store_cannot_be_prepared()
    {
        await WriteFileFromANewerBuildAsync();
        await using var app = await StartUnpreparedAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        await Assert.ThrowsAsync<InvalidOperationException>(() => app.PrepareStoreAsync());
        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("M_UNKNOWN", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errcode"]!.GetValue<string>());
    }

    [Fact]
    public async Task Relay_serve_on_a_file_from_a_newer_build_exits_2_and_says_why()
    {
        await WriteFileFromANewerBuildAsync();

        var (code, _, err) = await RelayCliProcess.RunAsync(new Dictionary<string, string>
        {
            ["Relay__Homeserver__Url"] = "http://127.0.0.1:9",
            ["Relay__Homeserver__ServerName"] = "example.org",
            ["Relay__Appservice__AsToken"] = "as",
            ["Relay__Appservice__HsToken"] = "hs",
            ["Relay__Appservice__PingOnStart"] = "false",
            ["Relay__Data__Path"] = DataPath,
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        }, "serve");

        Assert.Equal(2, code);
        Assert.Contains("Relay cannot start: The database file is at schema version 99", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_is_built_and_started_only_once_the_store_is_ready_and_stopped_with_relay()
    {
        var readiness = new StoreReadiness();
        var worker = new RecordingWorker();
        var built = 0;
        bool? builtWhenReady = null;
        await using var services = new ServiceCollection()
            .AddSingleton(_ =>
            {
                // Recorded at the moment of building: no waiting and hoping the worker would have been built by now.
                builtWhenReady = readiness.Ready.IsCompletedSuccessfully;
                Interlocked.Increment(ref built);
                return worker;
            })
            .BuildServiceProvider();
        var lifetime = new RecordingLifetime();
        using var gate = new StartWhenStoreReady<RecordingWorker>(readiness, services, lifetime,
            NullLogger<StartWhenStoreReady<RecordingWorker>>.Instance);

        await gate.StartAsync(CancellationToken.None);
        await readiness.PrepareAsync(() => Task.CompletedTask);
        await worker.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await gate.StopAsync(CancellationToken.None);

        Assert.Equal(1, built);
        Assert.True(builtWhenReady);
        Assert.True(worker.Stopped);
        Assert.False(lifetime.StopRequested);
    }

    [Fact]
    public async Task Relay_stopping_before_the_store_is_ready_never_builds_the_worker()
    {
        var readiness = new StoreReadiness();
        var built = 0;
        await using var services = new ServiceCollection()
            .AddSingleton(_ => { Interlocked.Increment(ref built); return new RecordingWorker(); })
            .BuildServiceProvider();
        using var gate = new StartWhenStoreReady<RecordingWorker>(readiness, services, new RecordingLifetime(),
            NullLogger<StartWhenStoreReady<RecordingWorker>>.Instance);

        await gate.StartAsync(CancellationToken.None);
        // StopAsync returns once the gate's waiting task has ended, so nothing is left that could build the worker later.
        await gate.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await readiness.PrepareAsync(() => Task.CompletedTask);

        Assert.Equal(0, built);
    }

    [Fact]
    public async Task A_worker_that_cannot_start_stops_relay()
    {
        var readiness = new StoreReadiness();
        await using var services = new ServiceCollection()
            .AddSingleton<RecordingWorker>(_ => throw new InvalidOperationException("no queue"))
            .BuildServiceProvider();
        var lifetime = new RecordingLifetime();
        using var gate = new StartWhenStoreReady<RecordingWorker>(readiness, services, lifetime,
            NullLogger<StartWhenStoreReady<RecordingWorker>>.Instance);

        await gate.StartAsync(CancellationToken.None);
        await readiness.PrepareAsync(() => Task.CompletedTask);

        Assert.True(await lifetime.Stopped.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await gate.StopAsync(CancellationToken.None);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<WebApplication> StartUnpreparedAsync()
    {
        var app = RelayApp.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Relay:Homeserver:Url=http://127.0.0.1:9", "--Relay:Homeserver:ServerName=example.org",
            "--Relay:Appservice:AsToken=as", "--Relay:Appservice:HsToken=hs", "--Relay:Appservice:PingOnStart=false",
            "--Relay:Data:Path=" + DataPath,
        ]);
        app.ValidateRelayOptions();
        await app.StartAsync();
        return app;
    }

    private async Task WriteFileFromANewerBuildAsync()
    {
        using var database = await SqliteDatabase.OpenAsync(DataPath);
        await using var connection = await database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version = 99";
        await command.ExecuteNonQueryAsync();
    }

    private sealed class RecordingWorker : IHostedService
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Stopped { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            Stopped = true;
            return Task.CompletedTask;
        }
    }

    private sealed class RecordingLifetime : IHostApplicationLifetime
    {
        public TaskCompletionSource<bool> Stopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool StopRequested => Stopped.Task.IsCompleted;

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Stopped.TrySetResult(true);
    }
}
