using Relay.Core.Dashboard;
using Relay.Core.Identifiers;

namespace Relay.Tests.Contracts;

/// <summary>
/// What every adapter of <see cref="IDashboardAuthStore"/> must do. Inherit it once per adapter (SQLite, Table Storage)
/// and supply a fresh store.
/// </summary>
public abstract class DashboardAuthStoreContract : IAsyncLifetime
{
    private static readonly UserId Mod = UserId.Parse("@mod:contract.test");
    private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(7_654_321);

    protected IDashboardAuthStore Store { get; private set; } = null!;

    protected abstract Task<IDashboardAuthStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_sign_in_link_is_redeemed_once_for_its_user()
    {
        var hash = DashboardTokens.Hash(DashboardTokens.New());
        await Store.AddSignInAsync(new SignInGrant(hash, Mod, Now.AddMinutes(10)));

        Assert.Equal(Mod, await Store.RedeemSignInAsync(hash, Now));
        Assert.Null(await Store.RedeemSignInAsync(hash, Now));
    }

    [Fact]
    public async Task An_expired_or_unknown_link_redeems_nothing_and_is_used_up()
    {
        var hash = DashboardTokens.Hash(DashboardTokens.New());
        await Store.AddSignInAsync(new SignInGrant(hash, Mod, Now.AddMinutes(10)));

        Assert.Null(await Store.RedeemSignInAsync(hash, Now.AddMinutes(10)));
        Assert.Null(await Store.RedeemSignInAsync(hash, Now));
        Assert.Null(await Store.RedeemSignInAsync(DashboardTokens.Hash("never issued"), Now));
    }

    [Fact]
    public async Task Concurrent_redeemers_of_one_link_get_one_session_between_them()
    {
        var hash = DashboardTokens.Hash(DashboardTokens.New());
        await Store.AddSignInAsync(new SignInGrant(hash, Mod, Now.AddMinutes(10)));

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Store.RedeemSignInAsync(hash, Now)));

        Assert.Single(results, r => r == Mod);
    }

    [Fact]
    public async Task A_session_round_trips_until_it_expires_or_is_deleted()
    {
        var rooms = new[] { RoomId.Parse("!a:contract.test"), RoomId.Parse("!b:contract.test") };
        var session = new DashboardSession(DashboardTokens.Hash(DashboardTokens.New()), Mod, rooms, Now, Now.AddHours(12));
        await Store.AddSessionAsync(session);

        var read = await Store.GetSessionAsync(session.SessionHash, Now.AddHours(1));
        Assert.NotNull(read);
        Assert.Equal(Mod, read.User);
        Assert.Equal(rooms, read.Rooms);
        Assert.Equal(session.CreatedAt, read.CreatedAt);
        Assert.Equal(session.ExpiresAt, read.ExpiresAt);
        Assert.Null(await Store.GetSessionAsync(session.SessionHash, Now.AddHours(12)));
        Assert.Null(await Store.GetSessionAsync(DashboardTokens.Hash("other"), Now));

        await Store.DeleteSessionAsync(session.SessionHash);
        await Store.DeleteSessionAsync(session.SessionHash);
        Assert.Null(await Store.GetSessionAsync(session.SessionHash, Now));
    }

    [Fact]
    public async Task A_session_without_rooms_round_trips()
    {
        var session = new DashboardSession(DashboardTokens.Hash(DashboardTokens.New()), Mod, [], Now, Now.AddHours(1));
        await Store.AddSessionAsync(session);

        Assert.Empty((await Store.GetSessionAsync(session.SessionHash, Now))!.Rooms);
    }

    [Fact]
    public async Task Purging_forgets_expired_links_and_sessions_only()
    {
        var expiredLink = DashboardTokens.Hash("expired link");
        var liveLink = DashboardTokens.Hash("live link");
        await Store.AddSignInAsync(new SignInGrant(expiredLink, Mod, Now.AddMinutes(-1)));
        await Store.AddSignInAsync(new SignInGrant(liveLink, Mod, Now.AddMinutes(1)));
        var expired = new DashboardSession(DashboardTokens.Hash("expired session"), Mod, [], Now.AddDays(-1), Now.AddSeconds(-1));
        var live = new DashboardSession(DashboardTokens.Hash("live session"), Mod, [], Now, Now.AddHours(1));
        await Store.AddSessionAsync(expired);
        await Store.AddSessionAsync(live);

        Assert.Equal(2, await Store.PurgeExpiredAsync(Now));

        Assert.NotNull(await Store.GetSessionAsync(live.SessionHash, Now));
        Assert.Equal(Mod, await Store.RedeemSignInAsync(liveLink, Now));
        Assert.Equal(0, await Store.PurgeExpiredAsync(Now));
    }
}
