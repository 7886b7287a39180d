using Microsoft.Extensions.Time.Testing;
using Relay.Core.Errors;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Core.Tests.Fakes;

namespace Relay.Core.Tests.Homeserver;

public sealed class ReporterAuthenticatorTests
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeHomeserver _homeserver = new FakeHomeserver()
        .WithToken("syt_alice", "@alice:example.org")
        .WithToken("syt_bob", "@bob:example.org");

    private ReporterAuthenticator Authenticator() => new(_homeserver, _time, CacheFor);

    [Fact]
    public async Task First_call_asks_the_homeserver_who_owns_the_token()
    {
        var owner = await Authenticator().AuthenticateAsync("syt_alice");

        Assert.Equal(UserId.Parse("@alice:example.org"), owner.UserId);
        Assert.Equal(["syt_alice"], _homeserver.WhoAmICalls);
    }

    [Fact]
    public async Task Second_call_within_the_cache_period_does_not_call_whoami()
    {
        var auth = Authenticator();
        await auth.AuthenticateAsync("syt_alice");
        _time.Advance(CacheFor - TimeSpan.FromMilliseconds(1));

        var owner = await auth.AuthenticateAsync("syt_alice");

        Assert.Equal(UserId.Parse("@alice:example.org"), owner.UserId);
        Assert.Single(_homeserver.WhoAmICalls);
    }

    [Fact]
    public async Task Call_after_the_cache_period_asks_again()
    {
        var auth = Authenticator();
        await auth.AuthenticateAsync("syt_alice");
        _time.Advance(CacheFor);

        await auth.AuthenticateAsync("syt_alice");

        Assert.Equal(2, _homeserver.WhoAmICalls.Count);
    }

    [Fact]
    public async Task Tokens_are_cached_separately()
    {
        var auth = Authenticator();
        var alice = await auth.AuthenticateAsync("syt_alice");
        var bob = await auth.AuthenticateAsync("syt_bob");

        Assert.Equal(UserId.Parse("@alice:example.org"), alice.UserId);
        Assert.Equal(UserId.Parse("@bob:example.org"), bob.UserId);
        Assert.Equal(["syt_alice", "syt_bob"], _homeserver.WhoAmICalls);
        Assert.Equal(UserId.Parse("@bob:example.org"), (await auth.AuthenticateAsync("syt_bob")).UserId);
        Assert.Equal(2, _homeserver.WhoAmICalls.Count);
    }

    [Fact]
    public async Task Matrix_error_from_whoami_propagates_and_is_not_cached()
    {
        var auth = Authenticator();
        _homeserver.FailNextWhoAmI = new MatrixException(MatrixError.HomeserverUnavailable());

        var error = await Assert.ThrowsAsync<MatrixException>(() => auth.AuthenticateAsync("syt_alice"));
        Assert.Equal(502, error.Error.Status);

        var owner = await auth.AuthenticateAsync("syt_alice");
        Assert.Equal(UserId.Parse("@alice:example.org"), owner.UserId);
        Assert.Equal(2, _homeserver.WhoAmICalls.Count);
    }

    [Fact]
    public async Task Unknown_token_is_refused_every_time_it_is_tried()
    {
        var auth = Authenticator();
        for (var i = 0; i < 2; i++)
        {
            var error = await Assert.ThrowsAsync<MatrixException>(() => auth.AuthenticateAsync("syt_revoked"));
            Assert.Equal("M_UNKNOWN_TOKEN", error.Error.ErrCode);
        }
        Assert.Equal(2, _homeserver.WhoAmICalls.Count);
    }

    [Fact]
    public async Task No_more_tokens_are_remembered_than_the_cap_allows()
    {
        for (var i = 0; i < 50; i++)
        {
            _homeserver.WithToken($"syt_user{i}", $"@user{i}:example.org");
        }
        var auth = new ReporterAuthenticator(_homeserver, _time, CacheFor, maxEntries: 8);

        for (var i = 0; i < 50; i++)
        {
            await auth.AuthenticateAsync($"syt_user{i}");
            Assert.InRange(auth.Cached, 1, 8);
        }
        await auth.AuthenticateAsync("syt_user49");
        Assert.Equal(50, _homeserver.WhoAmICalls.Count);
    }
}
