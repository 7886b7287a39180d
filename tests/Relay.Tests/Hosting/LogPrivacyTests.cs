using Relay.Tests.Harness;

namespace Relay.Tests.Hosting;

/// <summary>Tokens, report reasons and reporter IDs never reach logs, even at Debug.</summary>
public sealed class LogPrivacyTests
{
    [Fact]
    public async Task Logs_at_debug_hold_no_token_reason_or_reporter()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var (mallory, _) = relay.User("mallory");
        var room = relay.Room(alice, mallory);
        var ev = relay.Message(room, mallory);
        const string Reason = "secret-reason-7f3a";

        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, ev), aliceToken,
            new { reason = Reason, target = "homeserver_admins" }));
        await MatrixAssert.OkAsync(await relay.PostAsync(
            RelayHarness.EventReportPath(room, relay.Message(room, mallory)) + "?access_token=" + aliceToken, null, new { reason = Reason }));
        await relay.PostAsync(RelayHarness.EventReportPath(room, ev), "wrong-token-91c2", new { reason = Reason });

        var logs = relay.Logs.GetSnapshot();
        Assert.NotEmpty(logs);
        foreach (var record in logs)
        {
            var text = record.Message + " " + record.Exception;
            Assert.DoesNotContain(aliceToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-token-91c2", text, StringComparison.Ordinal);
            Assert.DoesNotContain(Reason, text, StringComparison.Ordinal);
            Assert.DoesNotContain(alice, text, StringComparison.Ordinal);
            Assert.DoesNotContain(relay.Homeserver.AsToken, text, StringComparison.Ordinal);
        }
    }
}
