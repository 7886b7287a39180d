using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Appservice;
using Relay.Core.Identifiers;
using Relay.TestHomeserver;
using Relay.Tests.Harness;

namespace Relay.Tests.Appservice;

/// <summary>The bot protects only the community's rooms: on its servers, or where a community moderator or admin invites it.</summary>
public sealed class ProtectionPolicyTests
{
    /// <summary>With only other.example's rooms protected, the test homeserver's rooms are someone else's.</summary>
    private static Task<RelayHarness> ElsewhereAsync(string? communityModerator = null) =>
        RelayHarness.StartAsync(hs => new Dictionary<string, string?>
        {
            ["Relay:Community:ProtectServers:0"] = "other.example",
            ["Relay:Community:Moderators:0"] = communityModerator ?? "@someone:other.example",
        });

    private static async Task<string> InviteAsync(RelayHarness relay, string inviter)
    {
        var room = relay.Homeserver.CreateRoom(inviter, new RoomSetup
        {
            PowerLevels = new JsonObject { ["users"] = new JsonObject { [inviter] = 100, [relay.Homeserver.SenderUserId] = 50 } },
        });
        relay.Homeserver.SetMembership(room, inviter, relay.Homeserver.SenderUserId, "invite");
        await MatrixAssert.OkAsync(await relay.PushAsync([relay.LastEvent(room)]));
        var bot = relay.Homeserver.SenderUserId;
        await relay.RunQueueUntilAsync(async () => relay.Homeserver.Members(room, "leave").Contains(bot)
            || await Protected(relay).IsProtectedAsync(RoomId.Parse(room)));
        return room;
    }

    private static IProtectedRoomStore Protected(RelayHarness relay) => relay.App.Services.GetRequiredService<IProtectedRoomStore>();

    [Fact]
    public async Task A_room_moderator_outside_the_community_is_declined_with_the_reason_and_the_room_is_not_protected()
    {
        await using var relay = await ElsewhereAsync();
        var (alice, _) = relay.User("alice");

        var room = await InviteAsync(relay, alice);

        var bot = relay.Homeserver.SenderUserId;
        Assert.False(await Protected(relay).IsProtectedAsync(RoomId.Parse(room)));
        Assert.DoesNotContain(bot, relay.Homeserver.Members(room));
        var leave = relay.Homeserver.GetState(room, "m.room.member", bot)!;
        Assert.Equal(ProtectionPolicy.Refusal, (string?)leave["reason"]);
        Assert.DoesNotContain(relay.Homeserver.Requests, r => r.Path.Contains("/join", StringComparison.Ordinal));
        Assert.Empty(relay.Homeserver.Violations);
    }

    [Fact]
    public async Task A_configured_community_moderator_may_have_a_room_anywhere_protected()
    {
        await using var relay = await ElsewhereAsync(communityModerator: "@alice:hs.test");
        var (alice, _) = relay.User("alice");
        Assert.Equal("@alice:hs.test", alice);

        var room = await InviteAsync(relay, alice);

        Assert.True(await Protected(relay).IsProtectedAsync(RoomId.Parse(room)));
        Assert.Contains(relay.Homeserver.SenderUserId, relay.Homeserver.Members(room));
    }

    [Theory]
    [InlineData("!abc:example.org", "@mod:example.org", true)]
    [InlineData("!abc:spam.example", "@mod:spam.example", false)]
    [InlineData("!abc:spam.example", "@trusted:spam.example", true)]
    [InlineData("!v12roomhash", "@mod:spam.example", null)]
    public void The_room_id_decides_before_joining_unless_it_names_no_server(string room, string inviter, bool? allowed)
    {
        var policy = new ProtectionPolicy([UserId.Parse("@trusted:spam.example")], ["example.org"]);

        Assert.Equal(allowed, policy.AllowsByRoomId(RoomId.Parse(room), UserId.Parse(inviter)));
    }
}
