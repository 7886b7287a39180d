using System.Text.Json.Nodes;
using Relay.Core.Identifiers;
using Relay.Core.Moderation;

namespace Relay.Core.Tests.Moderation;

public sealed class ModeratorRuleTests
{
    private static readonly UserId Creator = UserId.Parse("@creator:example.org");
    private static readonly UserId Other = UserId.Parse("@other:example.org");
    private static readonly UserId CoCreator = UserId.Parse("@co:example.org");

    private static RoomCreateFacts Create(string version, params UserId[] additional) =>
        RoomCreateFacts.From(Creator, new JsonObject
        {
            ["room_version"] = version,
            ["additional_creators"] = new JsonArray([.. additional.Select(u => (JsonNode)u.Value)]),
        });

    private static JsonObject Levels(string json) => JsonNode.Parse(json)!.AsObject();

    [Theory]
    [InlineData(50, true)]
    [InlineData(51, true)]
    [InlineData(49, false)]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    public void A_user_at_the_default_kick_and_ban_levels_is_a_moderator(int level, bool expected)
    {
        var pl = Levels($$$"""{"users":{"@other:example.org":{{{level}}}}}""");

        Assert.Equal(expected, ModeratorRule.IsModerator(Other, Create("10"), pl));
    }

    [Theory]
    [InlineData(60, 40, 50, false)]
    [InlineData(40, 60, 50, false)]
    [InlineData(60, 60, 60, true)]
    [InlineData(60, 70, 60, false)]
    [InlineData(70, 60, 60, false)]
    [InlineData(0, 0, 0, true)]
    public void Both_kick_and_ban_must_be_reached(int kick, int ban, int level, bool expected)
    {
        var pl = Levels($$$"""{"kick":{{{kick}}},"ban":{{{ban}}},"users":{"@other:example.org":{{{level}}}}}""");

        Assert.Equal(expected, ModeratorRule.IsModerator(Other, Create("10"), pl));
    }

    [Theory]
    [InlineData(50, true)]
    [InlineData(49, false)]
    public void Users_default_applies_to_users_not_listed(int usersDefault, bool expected)
    {
        var pl = Levels($$$"""{"users_default":{{{usersDefault}}},"users":{"@creator:example.org":100}}""");

        Assert.Equal(expected, ModeratorRule.IsModerator(Other, Create("10"), pl));
    }

    [Fact]
    public void A_listed_level_overrides_users_default()
    {
        var pl = Levels("""{"users_default":100,"users":{"@other:example.org":0}}""");

        Assert.False(ModeratorRule.IsModerator(Other, Create("10"), pl));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("10")]
    [InlineData("11")]
    public void Without_power_levels_only_the_creator_moderates(string version)
    {
        var create = RoomCreateFacts.From(Creator, new JsonObject { ["room_version"] = version, ["creator"] = Creator.Value });

        Assert.True(ModeratorRule.IsModerator(Creator, create, null));
        Assert.False(ModeratorRule.IsModerator(Other, create, null));
        Assert.Equal(100, ModeratorRule.PowerLevelOf(Creator, create, null));
        Assert.Equal(0, ModeratorRule.PowerLevelOf(Other, create, null));
    }

    [Fact]
    public void Before_version_11_the_creator_is_the_content_creator_not_the_sender()
    {
        var create = RoomCreateFacts.From(Other, new JsonObject { ["room_version"] = "9", ["creator"] = Creator.Value });

        Assert.True(ModeratorRule.IsModerator(Creator, create, null));
        Assert.False(ModeratorRule.IsModerator(Other, create, null));
    }

    [Fact]
    public void From_version_11_the_creator_is_the_sender()
    {
        var create = RoomCreateFacts.From(Other, new JsonObject { ["room_version"] = "11", ["creator"] = Creator.Value });

        Assert.True(ModeratorRule.IsModerator(Other, create, null));
        Assert.False(ModeratorRule.IsModerator(Creator, create, null));
    }

    [Fact]
    public void A_missing_room_version_means_version_1()
    {
        var create = RoomCreateFacts.From(Creator, new JsonObject { ["creator"] = Creator.Value });

        Assert.Equal("1", create.RoomVersion);
        Assert.False(create.CreatorsArePrivileged);
    }

    [Theory]
    [InlineData("12")]
    [InlineData("13")]
    [InlineData("org.matrix.hydra.11")]
    public void Room_version_12_creators_moderate_whatever_power_levels_say(string version)
    {
        var pl = Levels("""{"kick":100,"ban":100,"users_default":0,"users":{}}""");
        var create = Create(version, CoCreator);

        Assert.True(ModeratorRule.IsModerator(Creator, create, pl));
        Assert.True(ModeratorRule.IsModerator(CoCreator, create, pl));
        Assert.True(ModeratorRule.IsModerator(CoCreator, create, null));
        Assert.Null(ModeratorRule.PowerLevelOf(Creator, create, pl));
        Assert.False(ModeratorRule.IsModerator(Other, create, pl));
    }

    [Theory]
    [InlineData("10")]
    [InlineData("11")]
    public void Additional_creators_count_for_nothing_before_version_12(string version)
    {
        var create = Create(version, CoCreator);

        Assert.False(ModeratorRule.IsModerator(CoCreator, create, null));
        Assert.False(ModeratorRule.IsModerator(CoCreator, create, Levels("""{"users":{}}""")));
    }

    [Fact]
    public void Before_version_12_the_creator_is_bound_by_the_power_levels_event()
    {
        var pl = Levels("""{"users":{"@creator:example.org":10}}""");

        Assert.False(ModeratorRule.IsModerator(Creator, Create("11"), pl));
    }

    [Fact]
    public void Levels_written_as_strings_in_old_rooms_are_read()
    {
        var pl = Levels("""{"kick":"50","ban":" 50 ","users":{"@other:example.org":"75"}}""");

        Assert.True(ModeratorRule.IsModerator(Other, Create("5"), pl));
    }

    [Fact]
    public void Malformed_levels_fall_back_to_the_defaults()
    {
        var pl = Levels("""{"kick":"lots","ban":null,"users_default":{},"users":{"@other:example.org":[1]}}""");

        Assert.Equal(0, ModeratorRule.PowerLevelOf(Other, Create("10"), pl));
        Assert.False(ModeratorRule.IsModerator(Other, Create("10"), pl));
    }

    [Fact]
    public void Levels_built_in_code_are_read_like_parsed_ones()
    {
        var pl = new JsonObject { ["kick"] = 30, ["ban"] = 30L, ["users"] = new JsonObject { [Other.Value] = 30 } };

        Assert.True(ModeratorRule.IsModerator(Other, Create("10"), pl));
    }

    [Fact]
    public void Creators_list_the_sender_first_and_once()
    {
        var create = Create("12", CoCreator, Creator);

        Assert.Equal([Creator, CoCreator], create.Creators);
    }
}
