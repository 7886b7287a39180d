using System.Text.Json.Nodes;
using Homeserver = Relay.TestHomeserver.TestHomeserver;

namespace Relay.Tests.TestHomeserverTests;

public sealed class EventFetchTests
{
    [Fact]
    public async Task Member_gets_the_event_in_client_format()
    {
        await using var hs = await Homeserver.StartAsync();
        var token = hs.RegisterUser("@alice:hs.test");
        var room = hs.CreateRoom("@alice:hs.test");
        var eventId = hs.SendEvent(room, "@alice:hs.test", "m.room.message", new JsonObject { ["msgtype"] = "m.text", ["body"] = "hi" });

        var (status, body) = await hs.Client(token).GetJsonAsync($"_matrix/client/v3/rooms/{Matrix.E(room)}/event/{Matrix.E(eventId)}");

        Assert.Equal(200, status);
        Assert.Equal(eventId, (string?)body["event_id"]);
        Assert.Equal(room, (string?)body["room_id"]);
        Assert.Equal("@alice:hs.test", (string?)body["sender"]);
        Assert.Equal("m.room.message", (string?)body["type"]);
        Assert.Equal("hi", (string?)body["content"]?["body"]);
        Assert.NotNull(body["origin_server_ts"]);
        Assert.NotNull(body["unsigned"]);
        Assert.Null(body["state_key"]);
        Assert.Empty(hs.Violations);
    }

    [Fact]
    public async Task Non_member_gets_M_NOT_FOUND()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom("@alice:hs.test");
        var eventId = hs.SendEvent(room, "@alice:hs.test", "m.room.message", new JsonObject { ["body"] = "hi" });

        var (status, body) = await hs.Client(hs.AsToken).GetJsonAsync($"_matrix/client/v3/rooms/{Matrix.E(room)}/event/{Matrix.E(eventId)}");

        Assert.Equal(404, status);
        Assert.Equal("M_NOT_FOUND", body.Errcode());
        Assert.Empty(hs.Violations);
    }

    [Theory]
    [InlineData("shared", 200)]
    [InlineData("world_readable", 200)]
    [InlineData("invited", 404)]
    [InlineData("joined", 404)]
    public async Task A_member_who_joined_later_sees_earlier_events_only_under_shared_history(string visibility, int expected)
    {
        await using var hs = await Homeserver.StartAsync();
        var token = hs.RegisterUser("@bob:hs.test");
        var room = hs.CreateRoom("@alice:hs.test");
        hs.SendEvent(room, "@alice:hs.test", "m.room.history_visibility", new JsonObject { ["history_visibility"] = visibility }, "");
        var earlier = hs.SendEvent(room, "@alice:hs.test", "m.room.message", new JsonObject { ["msgtype"] = "m.text", ["body"] = "before" });
        hs.Join(room, "@bob:hs.test");
        var later = hs.SendEvent(room, "@alice:hs.test", "m.room.message", new JsonObject { ["msgtype"] = "m.text", ["body"] = "after" });

        var (status, _) = await hs.Client(token).GetJsonAsync($"_matrix/client/v3/rooms/{Matrix.E(room)}/event/{Matrix.E(earlier)}");
        var (laterStatus, _) = await hs.Client(token).GetJsonAsync($"_matrix/client/v3/rooms/{Matrix.E(room)}/event/{Matrix.E(later)}");

        Assert.Equal(expected, status);
        Assert.Equal(200, laterStatus);
    }

    [Fact]
    public async Task Under_invited_history_a_member_sees_what_was_sent_after_their_invite_and_not_before()
    {
        await using var hs = await Homeserver.StartAsync();
        var token = hs.RegisterUser("@bob:hs.test");
        var room = hs.CreateRoom("@alice:hs.test");
        hs.SendEvent(room, "@alice:hs.test", "m.room.history_visibility", new JsonObject { ["history_visibility"] = "invited" }, "");
        var beforeInvite = hs.SendEvent(room, "@alice:hs.test", "m.room.message", new JsonObject { ["msgtype"] = "m.text", ["body"] = "1" });
        hs.SetMembership(room, "@alice:hs.test", "@bob:hs.test", "invite");
        var whileInvited = hs.SendEvent(room, "@alice:hs.test", "m.room.message", new JsonObject { ["msgtype"] = "m.text", ["body"] = "2" });
        hs.Join(room, "@bob:hs.test");

        var (before, _) = await hs.Client(token).GetJsonAsync($"_matrix/client/v3/rooms/{Matrix.E(room)}/event/{Matrix.E(beforeInvite)}");
        var (during, _) = await hs.Client(token).GetJsonAsync($"_matrix/client/v3/rooms/{Matrix.E(room)}/event/{Matrix.E(whileInvited)}");

        Assert.Equal(404, before);
        Assert.Equal(200, during);
    }

    [Fact]
    public async Task Bot_gets_the_event_once_joined()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom("@alice:hs.test");
        hs.Join(room, hs.SenderUserId);
        var eventId = hs.SendEvent(room, "@alice:hs.test", "m.room.topic", new JsonObject { ["topic"] = "t" }, "");

        var (status, body) = await hs.Client(hs.AsToken).GetJsonAsync($"_matrix/client/v3/rooms/{Matrix.E(room)}/event/{Matrix.E(eventId)}");

        Assert.Equal(200, status);
        Assert.Equal("", (string?)body["state_key"]);
    }

    [Fact]
    public async Task Unknown_event_gets_M_NOT_FOUND()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom(hs.SenderUserId);

        var (status, body) = await hs.Client(hs.AsToken).GetJsonAsync($"_matrix/client/v3/rooms/{Matrix.E(room)}/event/{Matrix.E("$nope")}");

        Assert.Equal(404, status);
        Assert.Equal("M_NOT_FOUND", body.Errcode());
    }

    [Fact]
    public async Task Malformed_event_id_is_M_INVALID_PARAM_and_a_violation()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom(hs.SenderUserId);

        var (status, body) = await hs.Client(hs.AsToken).GetJsonAsync($"_matrix/client/v3/rooms/{Matrix.E(room)}/event/not-an-event");

        Assert.Equal(400, status);
        Assert.Equal("M_INVALID_PARAM", body.Errcode());
        Assert.Single(hs.Violations);
    }

    [Fact]
    public async Task Room_v12_has_a_serverless_room_id_and_lists_additional_creators()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom("@alice:hs.test", new Relay.TestHomeserver.RoomSetup { RoomVersion = "12", AdditionalCreators = ["@bob:hs.test"] });

        Assert.DoesNotContain(':', room);
        var create = hs.GetState(room, "m.room.create")!;
        Assert.Equal("12", (string?)create["room_version"]);
        Assert.Null(create["creator"]);
        Assert.Equal("@bob:hs.test", (string?)create["additional_creators"]![0]);
        Assert.Equal(["@alice:hs.test"], hs.Members(room));
    }
}
