using Microsoft.Extensions.Logging;
using Relay.Tests.Harness;

namespace Relay.Tests.Reports;

public sealed class ProtectionNoticeTests
{
    [Fact]
    public async Task A_new_case_about_an_unprotected_room_is_a_warning_that_says_it_reaches_nobody()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var (mallory, _) = relay.User("mallory");
        var (oscar, _) = relay.User("oscar");
        var room = relay.Room(alice, mallory, oscar);

        // Two senders, so two cases: one sender's messages in one room would share a case.
        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, relay.Message(room, mallory)), aliceToken, new { }));
        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, relay.Message(room, oscar)), aliceToken, new { }));

        var warnings = Warnings(relay, "which Relay does not protect");
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Contains(room, w, StringComparison.Ordinal));
        Assert.All(warnings, w => Assert.Contains("reaches nobody", w, StringComparison.Ordinal));
        Assert.All(warnings, w => Assert.Contains(relay.Homeserver.SenderUserId, w, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_case_about_a_protected_room_or_a_second_report_is_not_warned_about()
    {
        string room = "";
        await using var relay = await RelayHarness.StartAsync(hs =>
        {
            hs.AddToken("@alice:hs.test", "alice-token");
            room = hs.CreateRoom("@alice:hs.test");
            return new Dictionary<string, string?> { ["Relay:Reports:ProtectedRooms:0"] = room };
        });
        var spam = relay.Message(room, "@alice:hs.test");
        var unprotected = relay.Room("@alice:hs.test");
        var other = relay.Message(unprotected, "@alice:hs.test");

        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, spam), "alice-token", new { }));
        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(unprotected, other), "alice-token", new { }));
        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(unprotected, other), "alice-token", new { reason = "again" }));

        var warning = Assert.Single(Warnings(relay, "which Relay does not protect"));
        Assert.Contains(unprotected, warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_start_the_log_lists_protected_rooms_and_community_moderators()
    {
        await using var relay = await RelayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:Reports:ProtectedRooms:0"] = "!configured:hs.test",
            ["Relay:Community:Moderators:0"] = "@cmod:hs.test",
        });

        var overview = await OverviewAsync(relay);
        Assert.Contains("!configured:hs.test", overview.Message, StringComparison.Ordinal);
        Assert.Contains("Community moderators: 1 (@cmod:hs.test)", overview.Message, StringComparison.Ordinal);
        Assert.Empty(Warnings(relay, "No community moderators"));
    }

    [Fact]
    public async Task At_start_no_community_moderators_is_a_warning()
    {
        await using var relay = await RelayHarness.StartAsync();

        await OverviewAsync(relay);

        Assert.Single(Warnings(relay, "No community moderators"));
        Assert.Single(Warnings(relay, "Relay protects no room yet"));
    }

    /// <summary>The overview is logged in the background once the store is ready; waits for it (bounded).</summary>
    private static async Task<Microsoft.Extensions.Logging.Testing.FakeLogRecord> OverviewAsync(RelayHarness relay)
    {
        for (var i = 0; i < 600; i++)
        {
            if (relay.Logs.GetSnapshot().SingleOrDefault(r => r.Message.StartsWith("Protected rooms:", StringComparison.Ordinal)) is { } line)
            {
                return line;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("No overview of the protected rooms was logged within 30 s of the start.");
    }

    private static List<string> Warnings(RelayHarness relay, string containing) =>
        [.. relay.Logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning && r.Message.Contains(containing, StringComparison.Ordinal))
            .Select(r => r.Message)];
}
