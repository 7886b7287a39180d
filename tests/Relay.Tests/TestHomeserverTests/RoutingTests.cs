using System.Text;
using System.Text.Json.Nodes;
using Homeserver = Relay.TestHomeserver.TestHomeserver;

namespace Relay.Tests.TestHomeserverTests;

public sealed class RoutingTests
{
    [Fact]
    public async Task Versions_needs_no_token()
    {
        await using var hs = await Homeserver.StartAsync();

        var (status, body) = await hs.Client().GetJsonAsync("_matrix/client/versions");

        Assert.Equal(200, status);
        Assert.Contains("v1.1", body["versions"]!.AsArray().Select(v => (string?)v));
        Assert.Equal("127.0.0.1", hs.BaseUrl.Host);
    }

    [Fact]
    public async Task Unknown_path_is_404_M_UNRECOGNIZED_and_a_violation()
    {
        await using var hs = await Homeserver.StartAsync();

        var (status, body) = await hs.Client(hs.AsToken).GetJsonAsync("_matrix/client/v3/nonsense");

        Assert.Equal(404, status);
        Assert.Equal("M_UNRECOGNIZED", body.Errcode());
        Assert.Single(hs.Violations);
    }

    [Fact]
    public async Task Wrong_method_is_405_M_UNRECOGNIZED()
    {
        await using var hs = await Homeserver.StartAsync();

        var (status, body) = await hs.Client(hs.AsToken).PostJsonAsync("_matrix/client/v3/account/whoami", []);

        Assert.Equal(405, status);
        Assert.Equal("M_UNRECOGNIZED", body.Errcode());
    }

    [Fact]
    public async Task Body_without_json_content_type_is_served_but_recorded_as_a_violation()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom("@alice:hs.test");

        using var content = new StringContent("""{"reason":"x"}""", Encoding.UTF8, "text/plain");
        using var response = await hs.Client(hs.AsToken).PostAsync($"_matrix/client/v3/rooms/{Matrix.E(room)}/report", content);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("Content-Type", Assert.Single(hs.Violations), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_that_is_a_json_array_is_M_BAD_JSON()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom("@alice:hs.test");

        using var response = await hs.Client(hs.AsToken).PostAsync($"_matrix/client/v3/rooms/{Matrix.E(room)}/report", Matrix.Json("[]"));
        var (status, body) = await Matrix.ReadAsync(response);

        Assert.Equal(400, status);
        Assert.Equal("M_BAD_JSON", body.Errcode());
    }

    [Fact]
    public async Task Recorded_path_is_decoded_and_raw_path_kept()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom("@alice:hs.test");

        await hs.Client(hs.AsToken).PostJsonAsync($"_matrix/client/v3/rooms/{Matrix.E(room)}/report", new JsonObject { ["reason"] = "x" });

        var recorded = Assert.Single(hs.Requests);
        Assert.Equal($"/_matrix/client/v3/rooms/{room}/report", recorded.Path);
        Assert.Equal($"/_matrix/client/v3/rooms/{Matrix.E(room)}/report", recorded.RawPath);
        Assert.Equal("x", (string?)recorded.BodyJson()?["reason"]);
    }
}
