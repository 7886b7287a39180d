using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Appservice;
using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.TestHomeserver;
using Relay.Tests.Harness;

namespace Relay.Tests.Appservice;

/// <summary>The appservice transaction path: 🚩 reactions on one sender's messages gather into that sender's case.</summary>
public sealed class OffenderReactionTests
{
    [Fact]
    public async Task Flags_on_two_messages_of_one_sender_in_one_transaction_file_into_one_case()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, _) = relay.User("alice");
        var (bob, _) = relay.User("bob");
        var (carol, _) = relay.User("carol");
        var (mallory, _) = relay.User("mallory");
        var bot = relay.Homeserver.SenderUserId;
        var room = relay.Homeserver.CreateRoom(alice, new RoomSetup
        {
            Members = [bob, carol, mallory],
            PowerLevels = new JsonObject { ["users"] = new JsonObject { [alice] = 100, [bot] = 50 } },
        });
        relay.Homeserver.SetMembership(room, alice, bot, "invite");
        await MatrixAssert.OkAsync(await relay.PushAsync([relay.LastEvent(room)]));
        var protectedRooms = relay.App.Services.GetRequiredService<IProtectedRoomStore>();
        await relay.RunQueueUntilAsync(() => protectedRooms.IsProtectedAsync(RoomId.Parse(room)));
        var one = relay.Message(room, mallory, "buy now");
        var two = relay.Message(room, mallory, "buy again");
        var flags = new[] { (bob, one), (bob, two), (carol, two) }
            .Select(f =>
            {
                relay.Homeserver.SendEvent(room, f.Item1, "m.reaction", new JsonObject
                {
                    ["m.relates_to"] = new JsonObject { ["rel_type"] = "m.annotation", ["event_id"] = f.Item2, ["key"] = "🚩" },
                });
                return relay.LastEvent(room);
            }).ToList();

        await MatrixAssert.OkAsync(await relay.PushAsync(flags));

        var c = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal((2, 3), (c.ReporterCount, c.ReportCount));
        Assert.Equal([one, two, two], (await relay.Cases.GetReportsAsync(c.Id))
            .Select(r => ((Relay.Core.Reports.ReportTarget.Event)r.Target).EventId.Value));
        Assert.Empty(relay.Homeserver.Violations);
    }
}
