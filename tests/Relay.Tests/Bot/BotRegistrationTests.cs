using Relay.Tests.Harness;

namespace Relay.Tests.Bot;

public sealed class BotRegistrationTests
{
    [Fact]
    public async Task Relay_resolves_the_bot_as_the_appservice_sender_with_the_as_token()
    {
        await using var relay = await RelayHarness.StartAsync();

        var room = await relay.Bot.CreateRoomAsync(new Core.Homeserver.RoomCreation { Name = "x" });

        Assert.Equal(relay.Homeserver.SenderUserId, relay.Bot.UserId.Value);
        Assert.Contains(relay.Homeserver.SenderUserId, relay.Homeserver.Members(room.Value));
        Assert.Empty(relay.Homeserver.Violations);
    }
}
