using System.Text.Json.Nodes;
using Homeserver = Relay.TestHomeserver.TestHomeserver;

namespace Relay.Tests.TestHomeserverTests;

public sealed class CreateRoomTests
{
    private const string Path = "_matrix/client/v3/createRoom";

    [Fact]
    public async Task CreateRoom_with_a_taken_alias_returns_M_ROOM_IN_USE()
    {
        await using var hs = await Homeserver.StartAsync();
        using var client = hs.Client(hs.AsToken);
        var body = new JsonObject { ["room_alias_name"] = "relay-mods" };

        var (first, created) = await client.PostJsonAsync(Path, body);
        var (second, refused) = await client.PostJsonAsync(Path, body);

        Assert.Equal(200, first);
        Assert.Equal((string?)created["room_id"], hs.ResolveAlias("#relay-mods:hs.test"));
        Assert.Equal(400, second);
        Assert.Equal("M_ROOM_IN_USE", refused.Errcode());
        Assert.Empty(hs.Violations);
    }

    [Fact]
    public async Task CreateRoom_applies_every_option_as_state_in_spec_order()
    {
        await using var hs = await Homeserver.StartAsync();
        using var client = hs.Client(hs.AsToken);

        var (status, created) = await client.PostJsonAsync(Path, new JsonObject
        {
            ["preset"] = "private_chat",
            ["visibility"] = "private",
            ["name"] = "Moderators",
            ["topic"] = "Reports land here",
            ["room_alias_name"] = "relay-mods",
            ["invite"] = new JsonArray("@mod:hs.test"),
            ["is_direct"] = true,
            ["creation_content"] = new JsonObject { ["type"] = "m.space" },
            ["initial_state"] = new JsonArray(new JsonObject
            {
                ["type"] = "m.room.encryption",
                ["content"] = new JsonObject { ["algorithm"] = "m.megolm.v1.aes-sha2" },
            }),
            ["power_level_content_override"] = new JsonObject { ["users"] = new JsonObject { ["@relay:hs.test"] = 100, ["@mod:hs.test"] = 50 } },
        });

        Assert.Equal(200, status);
        var room = (string)created["room_id"]!;
        Assert.Equal("m.space", (string?)hs.GetState(room, "m.room.create")!["type"]);
        Assert.Equal("Moderators", (string?)hs.GetState(room, "m.room.name")!["name"]);
        Assert.Equal("Reports land here", (string?)hs.GetState(room, "m.room.topic")!["topic"]);
        Assert.Equal("invite", (string?)hs.GetState(room, "m.room.join_rules")!["join_rule"]);
        Assert.Equal("#relay-mods:hs.test", (string?)hs.GetState(room, "m.room.canonical_alias")!["alias"]);
        Assert.Equal(50, (int?)hs.GetState(room, "m.room.power_levels")!["users"]!["@mod:hs.test"]);
        Assert.NotNull(hs.GetState(room, "m.room.encryption"));
        Assert.True((bool?)hs.GetState(room, "m.room.member", "@mod:hs.test")!["is_direct"]);
        Assert.Equal(["@mod:hs.test"], hs.Members(room, "invite"));
        Assert.Equal("private", hs.RoomVisibility(room));
        var types = hs.Timeline(room).Select(e => (string)e["type"]!).ToList();
        Assert.Equal(
            ["m.room.create", "m.room.member", "m.room.power_levels", "m.room.canonical_alias", "m.room.join_rules",
             "m.room.history_visibility", "m.room.guest_access", "m.room.encryption", "m.room.name", "m.room.topic", "m.room.member"],
            types);
    }

    [Fact]
    public async Task CreateRoom_v12_trusted_private_chat_makes_invitees_creators()
    {
        await using var hs = await Homeserver.StartAsync();

        var (_, created) = await hs.Client(hs.AsToken).PostJsonAsync(Path, new JsonObject
        {
            ["room_version"] = "12",
            ["preset"] = "trusted_private_chat",
            ["invite"] = new JsonArray("@mod:hs.test"),
        });

        var room = (string)created["room_id"]!;
        var create = hs.GetState(room, "m.room.create")!;
        Assert.Equal("@mod:hs.test", (string?)create["additional_creators"]![0]);
        Assert.Empty(hs.GetState(room, "m.room.power_levels")!["users"]!.AsObject());
    }

    [Fact]
    public async Task CreateRoom_with_unknown_version_is_M_UNSUPPORTED_ROOM_VERSION()
    {
        await using var hs = await Homeserver.StartAsync();

        var (status, body) = await hs.Client(hs.AsToken).PostJsonAsync(Path, new JsonObject { ["room_version"] = "99" });

        Assert.Equal(400, status);
        Assert.Equal("M_UNSUPPORTED_ROOM_VERSION", body.Errcode());
    }

    [Fact]
    public async Task CreateRoom_with_a_bad_preset_is_M_BAD_JSON_and_a_violation()
    {
        await using var hs = await Homeserver.StartAsync();

        var (status, body) = await hs.Client(hs.AsToken).PostJsonAsync(Path, new JsonObject { ["preset"] = "secret" });

        Assert.Equal(400, status);
        Assert.Equal("M_BAD_JSON", body.Errcode());
        Assert.Single(hs.Violations);
    }
}
