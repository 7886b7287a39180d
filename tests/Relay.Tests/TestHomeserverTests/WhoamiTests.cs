using Homeserver = Relay.TestHomeserver.TestHomeserver;

namespace Relay.Tests.TestHomeserverTests;

public sealed class WhoamiTests
{
    private const string Path = "_matrix/client/v3/account/whoami";

    [Fact]
    public async Task Whoami_with_user_token_returns_user_and_device()
    {
        await using var hs = await Homeserver.StartAsync();
        var token = hs.RegisterUser("@alice:hs.test");

        var (status, body) = await hs.Client(token).GetJsonAsync(Path);

        Assert.Equal(200, status);
        Assert.Equal("@alice:hs.test", (string?)body["user_id"]);
        Assert.False(string.IsNullOrEmpty((string?)body["device_id"]));
        Assert.Empty(hs.Violations);
    }

    [Fact]
    public async Task Whoami_without_token_returns_M_MISSING_TOKEN_and_records_a_violation()
    {
        await using var hs = await Homeserver.StartAsync();

        var (status, body) = await hs.Client().GetJsonAsync(Path);

        Assert.Equal(401, status);
        Assert.Equal("M_MISSING_TOKEN", body.Errcode());
        Assert.Contains(hs.Violations, v => v.StartsWith("GET /_matrix/client/v3/account/whoami", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Whoami_with_revoked_token_returns_M_UNKNOWN_TOKEN()
    {
        await using var hs = await Homeserver.StartAsync();
        var token = hs.RegisterUser("@alice:hs.test");
        hs.RevokeToken(token);

        var (status, body) = await hs.Client(token).GetJsonAsync(Path);

        Assert.Equal(401, status);
        Assert.Equal("M_UNKNOWN_TOKEN", body.Errcode());
        Assert.False((bool?)body["soft_logout"]);
        Assert.Empty(hs.Violations);
    }

    [Fact]
    public async Task Whoami_accepts_the_deprecated_access_token_query_parameter()
    {
        await using var hs = await Homeserver.StartAsync();
        var token = hs.RegisterUser("@alice:hs.test");

        var (status, body) = await hs.Client().GetJsonAsync($"{Path}?access_token={token}");

        Assert.Equal(200, status);
        Assert.Equal("@alice:hs.test", (string?)body["user_id"]);
    }

    [Fact]
    public async Task Whoami_with_as_token_is_the_bot_without_a_device()
    {
        await using var hs = await Homeserver.StartAsync();

        var (status, body) = await hs.Client(hs.AsToken).GetJsonAsync(Path);

        Assert.Equal(200, status);
        Assert.Equal("@relay:hs.test", (string?)body["user_id"]);
        Assert.Null(body["device_id"]);
    }

    [Fact]
    public async Task Whoami_with_as_token_masquerades_as_a_user_inside_the_namespace()
    {
        await using var hs = await Homeserver.StartAsync();

        var (status, body) = await hs.Client(hs.AsToken).GetJsonAsync($"{Path}?user_id={Matrix.E("@relay-helper:hs.test")}");

        Assert.Equal(200, status);
        Assert.Equal("@relay-helper:hs.test", (string?)body["user_id"]);
    }

    [Fact]
    public async Task Whoami_with_as_token_outside_the_namespace_returns_M_FORBIDDEN()
    {
        await using var hs = await Homeserver.StartAsync();

        var (status, body) = await hs.Client(hs.AsToken).GetJsonAsync($"{Path}?user_id={Matrix.E("@alice:hs.test")}");

        Assert.Equal(403, status);
        Assert.Equal("M_FORBIDDEN", body.Errcode());
    }

    [Fact]
    public async Task Whoami_is_served_under_legacy_r0_too()
    {
        await using var hs = await Homeserver.StartAsync();

        var (status, _) = await hs.Client(hs.AsToken).GetJsonAsync("_matrix/client/r0/account/whoami");

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Requests_record_the_resolved_user_not_the_token()
    {
        await using var hs = await Homeserver.StartAsync();
        var token = hs.RegisterUser("@alice:hs.test");

        await hs.Client(token).GetJsonAsync(Path);

        var recorded = Assert.Single(hs.Requests);
        Assert.Equal("@alice:hs.test", recorded.UserId);
        Assert.Equal("GET", recorded.Method);
        Assert.Equal("/" + Path, recorded.Path);
    }
}
