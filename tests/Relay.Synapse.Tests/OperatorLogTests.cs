using Relay.Synapse.Tests.Harness;

namespace Relay.Synapse.Tests;

/// <summary>What an operator reads in Relay's log while it runs against Synapse.</summary>
[Collection(SynapseCollection.Name)]
public sealed class OperatorLogTests(SynapseWorld world)
{
    [Fact]
    public async Task A_report_about_an_unprotected_room_is_a_warning_and_goes_to_the_community_moderator()
    {
        var c = await world.RoomAsync();
        var reason = $"reason-{Guid.NewGuid():N}";

        var (status, _) = await world.ToRelayAsync(c.Alice, ProtectionTests.EventReportPath(c.Room, c.Spam), new() { ["reason"] = reason });

        Assert.Equal(200, status);
        var warning = await world.Relay.WaitForLogAsync("which Relay does not protect", c.Room);
        Assert.Contains(world.Bot, warning, StringComparison.Ordinal);
        await world.CommunityModerator.WaitForMessageAsync(world.Bot, b => b.Contains(Uri.EscapeDataString(c.Spam), StringComparison.Ordinal),
            "the community moderator's case room");
        Assert.DoesNotContain(c.Alice.Token, world.Relay.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(reason, world.Relay.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(world.Target.Registration.AsToken, world.Relay.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_start_the_log_lists_the_community_moderators()
    {
        var overview = await world.Relay.WaitForLogAsync("Protected rooms:");

        Assert.Contains($"Community moderators: 1 ({world.CommunityModerator.UserId})", overview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_Synapse_refuses_is_logged_with_errcode_status_and_step()
    {
        // An operator who pasted a wrong as_token: Synapse refuses every call of the bot, and the log must say so.
        await world.RestartRelayAsync(new Dictionary<string, string> { ["Relay__Appservice__AsToken"] = "not-the-registered-as-token" });
        try
        {
            var mallory = await world.Users.CreateAsync("mallory");
            var alice = await world.Users.CreateAsync("alice");
            var (status, _) = await world.ToRelayAsync(alice, $"_matrix/client/v3/users/{Uri.EscapeDataString(mallory.UserId)}/report",
                new() { ["reason"] = "harassment" });
            Assert.Equal(200, status);

            var line = await world.Relay.WaitForLogAsync("failed delivery", "M_UNKNOWN_TOKEN (401) at POST /_matrix/client/v3/createRoom");
            Assert.DoesNotContain(alice.UserId, line, StringComparison.Ordinal);
            Assert.DoesNotContain("not-the-registered-as-token", world.Relay.Log, StringComparison.Ordinal);
        }
        finally
        {
            await world.RestartRelayAsync();
        }
    }
}
