using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Relay.Core.Memory;
using Relay.Host.Composition;
using Relay.Sqlite;
using Relay.Tests.Harness;

namespace Relay.Tests.Memory;

public sealed class IdleTrimHostingTests
{
    [Fact]
    public async Task A_burst_of_requests_releases_the_stores_idle_memory_once_relay_is_idle()
    {
        var release = new SignallingRelease();
        await using var relay = await RelayHarness.StartAsync(new Dictionary<string, string?> { ["Relay:Memory:IdleTrimSeconds"] = "1" },
            services => services.AddSingleton<IIdleMemoryRelease>(release));
        var work = relay.App.Services.GetRequiredService<WorkInFlight>();
        var before = work.Started;

        using var response = await relay.Client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(before + 1, work.Started);
        Assert.True(await release.Released.WaitAsync(TimeSpan.FromSeconds(10)), "no idle trim after the request");
        Assert.Contains(relay.App.Services.GetServices<IIdleMemoryRelease>(), r => r is SqliteDatabase);
    }

    [Fact]
    public async Task Relay_refuses_to_start_with_a_bad_idle_trim()
    {
        var directory = Directory.CreateTempSubdirectory("relay-memory-").FullName;
        await using var app = RelayApp.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Relay:Homeserver:Url=http://127.0.0.1:9", "--Relay:Homeserver:ServerName=example.org",
            "--Relay:Appservice:AsToken=as", "--Relay:Appservice:HsToken=hs", "--Relay:Data:Path=" + Path.Combine(directory, "relay.db"),
            "--Relay:Memory:IdleTrimSeconds=-1",
        ]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.InitializeRelayAsync());

        Assert.Contains(error.Failures, f => f.StartsWith("Relay__Memory__IdleTrimSeconds", StringComparison.Ordinal));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Relay_refuses_to_start_with_a_cache_cap_of_zero()
    {
        var directory = Directory.CreateTempSubdirectory("relay-memory-").FullName;
        await using var app = RelayApp.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Relay:Homeserver:Url=http://127.0.0.1:9", "--Relay:Homeserver:ServerName=example.org",
            "--Relay:Appservice:AsToken=as", "--Relay:Appservice:HsToken=hs", "--Relay:Data:Path=" + Path.Combine(directory, "relay.db"),
            "--Relay:Memory:ModeratorCacheRooms=0",
        ]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.InitializeRelayAsync());

        Assert.Contains(error.Failures, f => f.StartsWith("Relay__Memory__ModeratorCacheRooms", StringComparison.Ordinal));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task The_cache_caps_Relay_runs_with_are_the_ones_configured()
    {
        await using var relay = await RelayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:Memory:WhoAmICacheEntries"] = "11",
            ["Relay:Memory:RateLimitKeys"] = "12",
            ["Relay:Memory:ModeratorCacheRooms"] = "13",
            ["Relay:Memory:SupportCacheServers"] = "14",
        });

        Assert.Equal(new CacheLimits(11, 12, 13, 14), relay.App.Services.GetRequiredService<CacheLimits>());
        Assert.Equal(14, relay.App.Services.GetRequiredService<Relay.Channels.Support.SupportLookupSettings>().CacheServers);
    }

    private sealed class SignallingRelease : IIdleMemoryRelease
    {
        public SemaphoreSlim Released { get; } = new(0);

        public void ReleaseIdleMemory() => Released.Release();
    }
}
