using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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

    [Fact]
    public async Task Every_harness_fails_its_test_when_a_token_or_reason_it_sent_reached_the_logs()
    {
        var relay = await RelayHarness.StartAsync();
        var (_, token) = relay.User("alice");
        await relay.PostAsync(RelayHarness.UserReportPath("@nobody:hs.test"), token, new { reason = "leaky-reason-5d1e" });
        var logger = relay.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Relay.Leaky");
        logger.LogWarning("Oops {Token} {Reason}", token, "leaky-reason-5d1e");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(async () => await relay.DisposeAsync());

        Assert.Contains("access token", failure.Message, StringComparison.Ordinal);
        Assert.Contains("report reason", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, failure.Message, StringComparison.Ordinal);
    }
}
