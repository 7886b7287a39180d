using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Appservice;
using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Core.Reports;
using Relay.Tests.Harness;

namespace Relay.Tests.Appservice;

public sealed class ProtectedRoomSearchTests
{
    [Fact]
    public async Task Safety_report_naming_only_an_event_finds_it_in_a_room_the_bot_protects()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var (mallory, _) = relay.User("mallory");
        var room = relay.Room(alice, mallory);
        var spam = relay.Message(room, mallory);
        await relay.App.Services.GetRequiredService<IProtectedRoomStore>()
            .ProtectAsync(RoomId.Parse(room), UserId.Parse(alice), DateTimeOffset.UtcNow);

        var response = await relay.PostAsync(RelayHarness.SafetyReportPath("t1"), aliceToken,
            new { type = "complaint", regarding = spam, harm = "m.spam.fraud" });

        await MatrixAssert.OkAsync(response);
        var stored = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal(room, Assert.IsType<ReportTarget.Event>(stored.Target).RoomId.Value);
        Assert.Empty(relay.Homeserver.Violations);
    }
}
