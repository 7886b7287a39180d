using System.Text.Json.Nodes;
using Relay.TestHomeserver;
using Homeserver = Relay.TestHomeserver.TestHomeserver;

namespace Relay.Tests.TestHomeserverTests;

public sealed class MembershipTests
{
    private static string RoomPath(string room, string action) => $"_matrix/client/v3/rooms/{Matrix.E(room)}/{action}";

    [Fact]
    public async Task Kick_without_power_returns_M_FORBIDDEN()
    {
        await using var hs = await Homeserver.StartAsync();
        var token = hs.RegisterUser("@bob:hs.test");
        var room = hs.CreateRoom("@alice:hs.test", new RoomSetup { Members = ["@bob:hs.test", "@carol:hs.test"] });

        var (status, body) = await hs.Client(token).PostJsonAsync(RoomPath(room, "kick"), new JsonObject { ["user_id"] = "@carol:hs.test" });

        Assert.Equal(403, status);
        Assert.Equal("M_FORBIDDEN", body.Errcode());
        Assert.Contains("@carol:hs.test", hs.Members(room));
        Assert.Empty(hs.Violations);
    }

    [Fact]
    public async Task Kick_with_power_leaves_the_target_with_the_reason()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom(hs.SenderUserId, new RoomSetup { Members = ["@carol:hs.test"] });

        var (status, _) = await hs.Client(hs.AsToken).PostJsonAsync(RoomPath(room, "kick"), new JsonObject { ["user_id"] = "@carol:hs.test", ["reason"] = "spam" });

        Assert.Equal(200, status);
        var member = hs.GetStateEvent(room, "m.room.member", "@carol:hs.test")!;
        Assert.Equal("leave", (string?)member["content"]!["membership"]);
        Assert.Equal("spam", (string?)member["content"]!["reason"]);
        Assert.Equal(hs.SenderUserId, (string?)member["sender"]);
    }

    [Fact]
    public async Task Kick_without_user_id_is_M_BAD_JSON()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom(hs.SenderUserId);

        var (status, body) = await hs.Client(hs.AsToken).PostJsonAsync(RoomPath(room, "kick"), new JsonObject { ["reason"] = "x" });

        Assert.Equal(400, status);
        Assert.Equal("M_BAD_JSON", body.Errcode());
        Assert.Single(hs.Violations);
    }

    [Fact]
    public async Task Room_v12_creator_outranks_anyone_without_a_power_levels_entry()
    {
        await using var hs = await Homeserver.StartAsync();
        var token = hs.RegisterUser("@alice:hs.test");
        var levels = new JsonObject { ["users"] = new JsonObject { ["@carol:hs.test"] = 1000 } };
        var room = hs.CreateRoom("@alice:hs.test", new RoomSetup { RoomVersion = "12", PowerLevels = levels, Members = ["@carol:hs.test"] });

        var (status, _) = await hs.Client(token).PostJsonAsync(RoomPath(room, "ban"), new JsonObject { ["user_id"] = "@carol:hs.test" });

        Assert.Equal(200, status);
        Assert.Equal(["@carol:hs.test"], hs.Members(room, "ban"));
    }

    [Fact]
    public async Task Ban_then_unban_leaves_the_user_out()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom(hs.SenderUserId, new RoomSetup { Members = ["@carol:hs.test"] });
        using var client = hs.Client(hs.AsToken);

        var (banned, _) = await client.PostJsonAsync(RoomPath(room, "ban"), new JsonObject { ["user_id"] = "@carol:hs.test" });
        var (unbanned, _) = await client.PostJsonAsync(RoomPath(room, "unban"), new JsonObject { ["user_id"] = "@carol:hs.test" });
        var (again, _) = await client.PostJsonAsync(RoomPath(room, "unban"), new JsonObject { ["user_id"] = "@carol:hs.test" });

        Assert.Equal(200, banned);
        Assert.Equal(200, unbanned);
        Assert.Equal(403, again);
        Assert.Equal("leave", (string?)hs.GetState(room, "m.room.member", "@carol:hs.test")!["membership"]);
    }

    [Fact]
    public async Task Invite_then_join_by_alias_then_leave()
    {
        await using var hs = await Homeserver.StartAsync();
        var token = hs.RegisterUser("@alice:hs.test");
        var room = hs.CreateRoom("@alice:hs.test");
        hs.AddAlias("#lobby:hs.test", room);
        using var bot = hs.Client(hs.AsToken);

        var (uninvited, _) = await bot.PostJsonAsync($"_matrix/client/v3/join/{Matrix.E("#lobby:hs.test")}", []);
        var (invited, _) = await hs.Client(token).PostJsonAsync(RoomPath(room, "invite"), new JsonObject { ["user_id"] = hs.SenderUserId });
        var (joined, joinBody) = await bot.PostJsonAsync($"_matrix/client/v3/join/{Matrix.E("#lobby:hs.test")}", []);
        var members = hs.Members(room);
        var (left, _) = await bot.PostJsonAsync(RoomPath(room, "leave"), []);

        Assert.Equal(403, uninvited);
        Assert.Equal(200, invited);
        Assert.Equal(200, joined);
        Assert.Equal(room, (string?)joinBody["room_id"]);
        Assert.Contains(hs.SenderUserId, members);
        Assert.Equal(200, left);
        Assert.DoesNotContain(hs.SenderUserId, hs.Members(room));
        Assert.Empty(hs.Violations);
    }

    [Fact]
    public async Task Join_public_room_by_id_needs_no_invite()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom("@alice:hs.test", new RoomSetup
        {
            State = [new StateEventSetup("m.room.join_rules", new JsonObject { ["join_rule"] = "public" })],
        });

        var (status, _) = await hs.Client(hs.AsToken).PostJsonAsync(RoomPath(room, "join"), []);

        Assert.Equal(200, status);
        Assert.Contains(hs.SenderUserId, hs.Members(room));
    }

    [Fact]
    public async Task Join_with_an_empty_body_is_M_NOT_JSON()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom("@alice:hs.test");

        using var response = await hs.Client(hs.AsToken).PostAsync(RoomPath(room, "join"), null);
        var (status, body) = await Matrix.ReadAsync(response);

        Assert.Equal(400, status);
        Assert.Equal("M_NOT_JSON", body.Errcode());
        Assert.NotEmpty(hs.Violations);
    }
}
