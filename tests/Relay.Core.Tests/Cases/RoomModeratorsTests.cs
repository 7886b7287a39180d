using System.Text.Json.Nodes;
using Relay.Core.Cases.Rooms;
using Relay.Core.Identifiers;
using Relay.Core.Moderation;

namespace Relay.Core.Tests.Cases;

public sealed class RoomModeratorsTests
{
    private static readonly UserId Owner = UserId.Parse("@owner:example.org");
    private static readonly UserId Mod = UserId.Parse("@mod:example.org");
    private static readonly UserId Member = UserId.Parse("@member:example.org");
    private static readonly UserId Spammer = UserId.Parse("@spammer:evil.example");
    private static readonly UserId Bot = UserId.Parse("@relay:example.org");
    private static readonly UserId[] Joined = [Owner, Mod, Member, Spammer, Bot];

    private static RoomCreateFacts Create(string version = "10", params UserId[] additional) =>
        RoomCreateFacts.From(Owner, version is "10" or "9" ? new JsonObject { ["room_version"] = version, ["creator"] = Owner.Value }
            : new JsonObject { ["room_version"] = version, ["additional_creators"] = new JsonArray([.. additional.Select(u => (JsonNode)u.Value)]) });

    private static JsonObject Levels(JsonObject users, JsonNode? kick = null, JsonNode? ban = null, long usersDefault = 0)
    {
        var levels = new JsonObject { ["users"] = users, ["users_default"] = usersDefault };
        if (kick is not null)
        {
            levels["kick"] = kick;
        }
        if (ban is not null)
        {
            levels["ban"] = ban;
        }
        return levels;
    }

    private static IReadOnlyList<UserId> Select(RoomCreateFacts create, JsonObject? levels, JsonObject? overrideContent = null,
        UserId? reported = null) =>
        RoomModerators.Select(create, levels, overrideContent, Joined, Bot).Without(reported ?? Spammer).Users;

    [Fact]
    public void Members_at_or_above_the_default_kick_and_ban_levels_are_moderators()
    {
        var levels = Levels(new JsonObject { [Owner.Value] = 100, [Mod.Value] = 50, [Member.Value] = 49 });

        Assert.Equal([Mod, Owner], Select(Create(), levels));
    }

    [Fact]
    public void Without_a_power_levels_event_only_the_creator_moderates()
    {
        Assert.Equal([Owner], Select(Create(), null));
    }

    [Fact]
    public void Custom_kick_and_ban_levels_both_have_to_be_reached()
    {
        var levels = Levels(new JsonObject { [Owner.Value] = 100, [Mod.Value] = 60, [Member.Value] = 80 }, kick: 50, ban: 75);

        Assert.Equal([Member, Owner], Select(Create(), levels));
    }

    [Fact]
    public void Levels_written_as_strings_in_old_rooms_still_count()
    {
        var levels = Levels(new JsonObject { [Owner.Value] = "100", [Mod.Value] = "50" }, kick: "50", ban: "50");

        Assert.Equal([Mod, Owner], Select(Create("9"), levels));
    }

    [Fact]
    public void A_high_users_default_makes_every_joined_member_a_moderator_except_the_reported_user_and_the_bot()
    {
        var levels = Levels(new JsonObject(), usersDefault: 50);

        Assert.Equal([Member, Mod, Owner], Select(Create(), levels));
    }

    [Fact]
    public void Room_version_12_creators_moderate_even_when_absent_from_users()
    {
        var levels = Levels(new JsonObject { [Mod.Value] = 50 });

        Assert.Equal([Member, Mod, Owner], Select(Create("12", Member), levels));
    }

    [Fact]
    public void The_msc4226_override_replaces_the_power_level_rule()
    {
        var levels = Levels(new JsonObject { [Owner.Value] = 100, [Mod.Value] = 50 });
        var named = new JsonObject { ["reporters"] = new JsonArray("@member:example.org", "not a user", "@spammer:evil.example", 42) };

        var set = RoomModerators.Select(Create(), levels, named, Joined, Bot).Without(Spammer);

        Assert.Equal(ModeratorSource.RoomOverride, set.Source);
        Assert.Equal([Member], set.Users);
    }

    [Fact]
    public void An_override_without_a_reporters_array_falls_back_to_the_rule()
    {
        var levels = Levels(new JsonObject { [Owner.Value] = 100 });

        var set = RoomModerators.Select(Create(), levels, new JsonObject { ["moderators"] = new JsonArray("@member:example.org") }, Joined, Bot).Without(Spammer);

        Assert.Equal(ModeratorSource.PowerLevels, set.Source);
        Assert.Equal([Owner], set.Users);
    }

    [Fact]
    public void The_reported_user_is_never_a_moderator_of_their_case_even_with_power()
    {
        var levels = Levels(new JsonObject { [Owner.Value] = 100, [Spammer.Value] = 100, [Bot.Value] = 100 });

        Assert.Equal([Owner], Select(Create(), levels, reported: Spammer));
        Assert.Equal([Owner], Select(Create(), levels, new JsonObject { ["reporters"] = new JsonArray(Spammer.Value, Owner.Value) }));
    }
}
