using System.Text.Json.Nodes;
using Relay.TestHomeserver;
using Homeserver = Relay.TestHomeserver.TestHomeserver;

namespace Relay.Tests.TestHomeserverTests;

public sealed class StateTests
{
    private static string StatePath(string room, string rest) => $"_matrix/client/v3/rooms/{Matrix.E(room)}/{rest}";

    [Fact]
    public async Task Put_then_get_state_with_and_without_a_state_key()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom(hs.SenderUserId);
        using var client = hs.Client(hs.AsToken);

        var (put, putBody) = await client.PutJsonAsync(StatePath(room, "state/m.room.name"), new JsonObject { ["name"] = "Mods" });
        var (keyed, _) = await client.PutJsonAsync(StatePath(room, $"state/org.relay.config/{Matrix.E("a/b")}"), new JsonObject { ["x"] = 1 });
        var (_, name) = await client.GetJsonAsync(StatePath(room, "state/m.room.name/"));
        var (_, config) = await client.GetJsonAsync(StatePath(room, $"state/org.relay.config/{Matrix.E("a/b")}?format=event"));
        var (missing, _) = await client.GetJsonAsync(StatePath(room, "state/m.room.topic"));

        Assert.Equal(200, put);
        Assert.StartsWith("$", (string?)putBody["event_id"], StringComparison.Ordinal);
        Assert.Equal(200, keyed);
        Assert.Equal("Mods", (string?)name["name"]);
        Assert.Equal("a/b", (string?)config["state_key"]);
        Assert.Equal(404, missing);
        Assert.Empty(hs.Violations);
    }

    [Fact]
    public async Task Put_state_without_power_is_M_FORBIDDEN()
    {
        await using var hs = await Homeserver.StartAsync();
        var token = hs.RegisterUser("@bob:hs.test");
        var room = hs.CreateRoom("@alice:hs.test", new RoomSetup { Members = ["@bob:hs.test"] });

        var (status, body) = await hs.Client(token).PutJsonAsync(StatePath(room, "state/m.room.name/"), new JsonObject { ["name"] = "x" });

        Assert.Equal(403, status);
        Assert.Equal("M_FORBIDDEN", body.Errcode());
    }

    [Fact]
    public async Task Canonical_alias_must_point_to_the_room()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom(hs.SenderUserId);

        var (status, body) = await hs.Client(hs.AsToken).PutJsonAsync(StatePath(room, "state/m.room.canonical_alias"), new JsonObject { ["alias"] = "#elsewhere:hs.test" });

        Assert.Equal(400, status);
        Assert.Equal("M_BAD_ALIAS", body.Errcode());
    }

    [Fact]
    public async Task State_list_and_member_lists()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom(hs.SenderUserId, new RoomSetup { Members = ["@carol:hs.test"] });
        hs.SetMembership(room, hs.SenderUserId, "@dave:hs.test", "invite");
        using var client = hs.Client(hs.AsToken);

        using var stateResponse = await client.GetAsync(StatePath(room, "state"));
        var state = JsonNode.Parse(await stateResponse.Content.ReadAsStringAsync())!.AsArray();
        var (_, joined) = await client.GetJsonAsync(StatePath(room, "joined_members"));
        var (_, invited) = await client.GetJsonAsync(StatePath(room, "members?membership=invite"));
        var (_, notJoined) = await client.GetJsonAsync(StatePath(room, "members?not_membership=join"));
        var (bad, _) = await client.GetJsonAsync(StatePath(room, "members?membership=nope"));

        Assert.Contains(state, e => (string?)e!["type"] == "m.room.create");
        Assert.Equal(["@relay:hs.test", "@carol:hs.test"], joined["joined"]!.AsObject().Select(p => p.Key));
        Assert.Equal("@dave:hs.test", (string?)Assert.Single(invited["chunk"]!.AsArray())!["state_key"]);
        Assert.Single(notJoined["chunk"]!.AsArray());
        Assert.Equal(400, bad);
    }

    [Fact]
    public async Task Non_member_cannot_read_state()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom("@alice:hs.test");

        var (status, body) = await hs.Client(hs.AsToken).GetJsonAsync(StatePath(room, "state"));

        Assert.Equal(403, status);
        Assert.Equal("M_FORBIDDEN", body.Errcode());
    }
}
