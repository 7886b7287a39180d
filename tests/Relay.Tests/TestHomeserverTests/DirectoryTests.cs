using System.Text.Json.Nodes;
using Homeserver = Relay.TestHomeserver.TestHomeserver;

namespace Relay.Tests.TestHomeserverTests;

public sealed class DirectoryTests
{
    private static string AliasPath(string alias) => $"_matrix/client/v3/directory/room/{Matrix.E(alias)}";

    [Fact]
    public async Task Appservice_creates_resolves_and_deletes_an_alias_in_its_namespace()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom(hs.SenderUserId);
        var client = hs.Client(hs.AsToken);

        var (created, _) = await client.PutJsonAsync(AliasPath("#relay-reports:hs.test"), new JsonObject { ["room_id"] = room });
        var (resolved, body) = await hs.Client().GetJsonAsync(AliasPath("#relay-reports:hs.test"));
        var (again, againBody) = await client.PutJsonAsync(AliasPath("#relay-reports:hs.test"), new JsonObject { ["room_id"] = room });
        var (deleted, _) = await client.SendAsync(HttpMethod.Delete, AliasPath("#relay-reports:hs.test"));
        var (gone, goneBody) = await hs.Client().GetJsonAsync(AliasPath("#relay-reports:hs.test"));

        Assert.Equal(200, created);
        Assert.Equal(200, resolved);
        Assert.Equal(room, (string?)body["room_id"]);
        Assert.Equal("hs.test", (string?)body["servers"]![0]);
        Assert.Equal(409, again);
        Assert.Equal("M_UNKNOWN", againBody.Errcode());
        Assert.Equal(200, deleted);
        Assert.Equal(404, gone);
        Assert.Equal("M_NOT_FOUND", goneBody.Errcode());
        Assert.Empty(hs.Violations);
    }

    [Fact]
    public async Task User_cannot_take_an_alias_in_the_appservice_namespace()
    {
        await using var hs = await Homeserver.StartAsync();
        var token = hs.RegisterUser("@alice:hs.test");
        var room = hs.CreateRoom("@alice:hs.test");

        var (status, body) = await hs.Client(token).PutJsonAsync(AliasPath("#relay-x:hs.test"), new JsonObject { ["room_id"] = room });

        Assert.Equal(400, status);
        Assert.Equal("M_EXCLUSIVE", body.Errcode());
        Assert.Null(hs.ResolveAlias("#relay-x:hs.test"));
    }

    [Fact]
    public async Task Alias_for_an_unknown_room_is_M_NOT_FOUND()
    {
        await using var hs = await Homeserver.StartAsync();

        var (status, _) = await hs.Client(hs.AsToken).PutJsonAsync(AliasPath("#relay-x:hs.test"), new JsonObject { ["room_id"] = "!nope:hs.test" });

        Assert.Equal(404, status);
    }
}
