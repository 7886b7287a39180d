using System.Net;
using Relay.Core.Cases;
using Relay.Core.Queue;
using Relay.Core.Reports;
using Relay.Tests.Harness;

namespace Relay.Tests.Reports;

public sealed class EventReportTests
{
    [Fact]
    public async Task Report_with_accepted_token_answers_200_and_stores_an_open_case()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var (mallory, _) = relay.User("mallory");
        var room = relay.Room(alice, mallory);
        var spam = relay.Message(room, mallory, "buy now");

        var response = await relay.PostAsync(RelayHarness.EventReportPath(room, spam), aliceToken, new { reason = "spam" });

        var body = await MatrixAssert.OkAsync(response);
        Assert.Empty(body);
        var stored = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal(CaseState.Open, stored.State);
        Assert.Equal(1, stored.ReporterCount);
        var target = Assert.IsType<ReportTarget.Event>(stored.Target);
        Assert.Equal(spam, target.EventId.Value);
        Assert.Equal(mallory, target.Sender.Value);
        Assert.Equal("m.room.message", target.EventType);
        var report = Assert.Single(await relay.Cases.GetReportsAsync(stored.Id));
        Assert.Equal("spam", report.Reason);
        Assert.Equal(ReportSource.ClientEventReport, report.Source);
        Assert.Empty(relay.Homeserver.Violations);
    }

    [Fact]
    public async Task Distinct_reporters_join_one_case_and_the_same_reporter_counts_once()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var (bob, bobToken) = relay.User("bob");
        var (mallory, _) = relay.User("mallory");
        var room = relay.Room(alice, bob, mallory);
        var spam = relay.Message(room, mallory);
        var path = RelayHarness.EventReportPath(room, spam);

        await MatrixAssert.OkAsync(await relay.PostAsync(path, aliceToken, new { reason = "one" }));
        await MatrixAssert.OkAsync(await relay.PostAsync(path, aliceToken, new { reason = "again" }));
        await MatrixAssert.OkAsync(await relay.PostAsync(path, bobToken, new { }));

        var stored = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal(2, stored.ReporterCount);
        Assert.Equal(3, stored.ReportCount);
        Assert.Equal(3, (await relay.Cases.GetReportsAsync(stored.Id)).Count);
    }

    [Fact]
    public async Task Report_queues_report_received_for_its_case()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var (mallory, _) = relay.User("mallory");
        var room = relay.Room(alice, mallory);
        var spam = relay.Message(room, mallory);

        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, spam), aliceToken, new { reason = "x" }));

        var lease = await relay.Queue.ReceiveAsync([Topics.ReportReceived]);
        Assert.NotNull(lease);
        var message = ReportReceived.FromMessage(lease.Message)!;
        var stored = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal(stored.Id.Value, message.CaseId);
        Assert.True(message.OpenedCase);
    }

    [Fact]
    public async Task Legacy_r0_path_files_the_same_way()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var room = relay.Room(alice);
        var ev = relay.Message(room, alice);

        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, ev, "r0"), aliceToken, new { reason = "x", score = -100 }));

        Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
    }

    [Fact]
    public async Task Deprecated_access_token_query_parameter_is_accepted()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var room = relay.Room(alice);
        var ev = relay.Message(room, alice);

        var path = RelayHarness.EventReportPath(room, ev) + "?access_token=" + Uri.EscapeDataString(aliceToken);
        await MatrixAssert.OkAsync(await relay.PostAsync(path, token: null, new { reason = "x" }));
    }

    [Fact]
    public async Task Whoami_is_cached_so_a_burst_of_reports_costs_one_call()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var room = relay.Room(alice);
        for (var i = 0; i < 3; i++)
        {
            var ev = relay.Message(room, alice);
            await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, ev), aliceToken, new { }));
        }

        Assert.Single(relay.Homeserver.Requests, r => r.Path.EndsWith("/account/whoami", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Target_homeserver_admins_also_forwards_to_the_homeserver_with_the_reporters_token()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var (mallory, _) = relay.User("mallory");
        var room = relay.Room(alice, mallory);
        var spam = relay.Message(room, mallory);

        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, spam), aliceToken,
            new { reason = "for the admins", score = -100, target = "homeserver_admins" }));

        var forwarded = Assert.Single(relay.Homeserver.Reports);
        Assert.Equal(alice, forwarded.Reporter);
        Assert.Equal(spam, forwarded.EventId);
        Assert.Equal("for the admins", forwarded.Reason);
        Assert.Equal(-100, forwarded.Score);
        Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
    }

    [Fact]
    public async Task Target_room_moderators_is_not_forwarded()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var room = relay.Room(alice);
        var ev = relay.Message(room, alice);

        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, ev), aliceToken,
            new { reason = "x", target = "room_moderators" }));

        Assert.Empty(relay.Homeserver.Reports);
    }

    [Fact]
    public async Task Forwarding_by_default_is_configurable_and_a_failed_forward_keeps_the_report()
    {
        await using var relay = await RelayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:Reports:ForwardToHomeserverByDefault"] = "true",
        });
        var (alice, aliceToken) = relay.User("alice");
        var room = relay.Room(alice);
        var ev = relay.Message(room, alice);
        relay.Homeserver.InjectFault(r => r.Method == "POST" && r.Path.Contains("/report/", StringComparison.Ordinal),
            TestHomeserver.Fault.Status(503));

        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, ev), aliceToken, new { reason = "x" }));

        Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Single(relay.Homeserver.Requests, r => r.Method == "POST" && r.Path.Contains("/report/", StringComparison.Ordinal));
    }
}
