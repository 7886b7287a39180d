using System.Net;
using Relay.Core.Cases;
using Relay.Core.Reports;
using Relay.Tests.Harness;

namespace Relay.Tests.Reports;

/// <summary>The reporting-v2 draft endpoint (MSC4457) with MSC4456 harms.</summary>
public sealed class SafetyReportTests
{
    [Fact]
    public async Task Complaint_about_an_event_with_room_id_answers_report_id_and_records_the_harm()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var (mallory, _) = relay.User("mallory");
        var room = relay.Room(alice, mallory);
        var ev = relay.Message(room, mallory);

        var response = await relay.PostAsync(RelayHarness.SafetyReportPath("txn1"), aliceToken,
            new { type = "complaint", regarding = ev, harm = "m.spam.fraud", room_id = room });

        var body = await MatrixAssert.OkAsync(response);
        var reportId = (string)body["report_id"]!;
        var stored = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal("m.spam.fraud", stored.Category?.Id);
        var report = Assert.Single(await relay.Cases.GetReportsAsync(stored.Id));
        Assert.Equal(reportId, report.Id);
        Assert.Equal(ReportSource.SafetyReportApi, report.Source);
    }

    [Fact]
    public async Task Retried_transaction_returns_the_same_report_id_and_stores_one_report()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var (mallory, _) = relay.User("mallory");
        var body = new { type = "complaint", regarding = mallory, harm = "m.harassment", description = "keeps messaging me" };

        var first = (string)(await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.SafetyReportPath("t-1"), aliceToken, body)))["report_id"]!;
        var again = (string)(await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.SafetyReportPath("t-1"), aliceToken, body)))["report_id"]!;

        Assert.Equal(first, again);
        var stored = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Single(await relay.Cases.GetReportsAsync(stored.Id));
        Assert.Equal(1, await relay.Queue.CountAsync());
    }

    [Fact]
    public async Task Same_transaction_id_from_another_reporter_is_a_new_report()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (_, aliceToken) = relay.User("alice");
        var (_, bobToken) = relay.User("bob");
        var body = new { type = "complaint", regarding = "@m:hs.test", harm = "m.spam.flooding" };

        var a = (string)(await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.SafetyReportPath("1"), aliceToken, body)))["report_id"]!;
        var b = (string)(await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.SafetyReportPath("1"), bobToken, body)))["report_id"]!;

        Assert.NotEqual(a, b);
        Assert.Equal(2, Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery())).ReporterCount);
    }

    [Fact]
    public async Task Event_without_room_id_is_found_among_the_protected_rooms()
    {
        string second = "", ev = "";
        await using var relay = await RelayHarness.StartAsync(homeserver =>
        {
            homeserver.RegisterUser("@alice:hs.test");
            homeserver.RegisterUser("@mallory:hs.test");
            var first = homeserver.CreateRoom("@alice:hs.test");
            second = homeserver.CreateRoom("@alice:hs.test", new TestHomeserver.RoomSetup { Members = ["@mallory:hs.test"] });
            ev = homeserver.SendEvent(second, "@mallory:hs.test", "m.room.message",
                new System.Text.Json.Nodes.JsonObject { ["msgtype"] = "m.text", ["body"] = "x" });
            return new Dictionary<string, string?>
            {
                ["Relay:Reports:ProtectedRooms:0"] = first,
                ["Relay:Reports:ProtectedRooms:1"] = second,
            };
        });
        var aliceToken = relay.Homeserver.RegisterUser("@alice:hs.test");

        var response = await relay.PostAsync(RelayHarness.SafetyReportPath("x"), aliceToken,
            new { type = "complaint", regarding = ev, harm = "m.child_safety.csam" });

        await MatrixAssert.OkAsync(response);
        var stored = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal(second, stored.Target.Room?.Value);
        Assert.True(stored.Category?.IsChildSafety);
    }

    [Fact]
    public async Task Event_outside_every_protected_room_returns_M_NOT_FOUND()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var room = relay.Room(alice);
        var ev = relay.Message(room, alice);

        var response = await relay.PostAsync(RelayHarness.SafetyReportPath("x"), aliceToken,
            new { type = "complaint", regarding = ev, harm = "m.spam.fraud" });

        await MatrixAssert.ErrorAsync(response, HttpStatusCode.NotFound, "M_NOT_FOUND");
    }

    [Fact]
    public async Task Complaint_about_a_room_alias_reports_the_room_it_names()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var room = relay.Room(alice);
        relay.Homeserver.AddAlias("#bad-place:hs.test", room);

        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.SafetyReportPath("a"), aliceToken,
            new { type = "complaint", regarding = "#bad-place:hs.test", harm = "org.matrix.msc4456.violence.extremist" }));

        var stored = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal(room, stored.Target.Room?.Value);
        Assert.Equal("m.violence.extremist", stored.Category?.Id);
    }

    [Theory]
    [InlineData("{\"regarding\":\"@m:hs.test\",\"harm\":\"m.spam.fraud\"}", HttpStatusCode.BadRequest, "M_BAD_JSON")]
    [InlineData("{\"type\":\"appeal\",\"regarding\":\"@m:hs.test\",\"harm\":\"m.spam.fraud\"}", HttpStatusCode.BadRequest, "M_INVALID_PARAM")]
    [InlineData("{\"type\":\"complaint\",\"harm\":\"m.spam.fraud\"}", HttpStatusCode.BadRequest, "M_BAD_JSON")]
    [InlineData("{\"type\":\"complaint\",\"regarding\":\"@m:hs.test\"}", HttpStatusCode.BadRequest, "M_BAD_JSON")]
    [InlineData("{\"type\":\"complaint\",\"regarding\":\"@m:hs.test\",\"harm\":\"com.example.rude\",\"description\":\"x\"}", HttpStatusCode.BadRequest, "M_INVALID_PARAM")]
    [InlineData("{\"type\":\"complaint\",\"regarding\":\"@m:hs.test\",\"harm\":\"m.spam\"}", HttpStatusCode.BadRequest, "M_BAD_JSON")]
    [InlineData("{\"type\":\"complaint\",\"regarding\":\"@m:hs.test\",\"harm\":\"m.other\",\"description\":\"   \"}", HttpStatusCode.BadRequest, "M_BAD_JSON")]
    [InlineData("{\"type\":\"complaint\",\"regarding\":\"@m:hs.test\",\"harm\":\"m.spam.fraud\",\"description\":5}", HttpStatusCode.BadRequest, "M_BAD_JSON")]
    [InlineData("{\"type\":\"complaint\",\"regarding\":\"server:evil.example\",\"harm\":\"m.spam.fraud\"}", HttpStatusCode.BadRequest, "M_INVALID_PARAM")]
    [InlineData("{\"type\":\"complaint\",\"regarding\":\"m.system\",\"harm\":\"m.other\",\"description\":\"slow\"}", HttpStatusCode.BadRequest, "M_INVALID_PARAM")]
    [InlineData("{\"type\":\"complaint\",\"regarding\":\"$e\",\"harm\":\"m.spam.fraud\",\"room_id\":\"nope\"}", HttpStatusCode.BadRequest, "M_INVALID_PARAM")]
    [InlineData("[]", HttpStatusCode.BadRequest, "M_NOT_JSON")]
    public async Task Malformed_complaint_gets_the_MSC4457_error_and_stores_nothing(string body, HttpStatusCode status, string errcode)
    {
        await using var relay = await RelayHarness.StartAsync();
        var (_, aliceToken) = relay.User("alice");

        var response = await relay.PostRawAsync(RelayHarness.SafetyReportPath("t"), aliceToken, body);

        await MatrixAssert.ErrorAsync(response, status, errcode);
        Assert.Empty(await relay.Cases.ListCasesAsync(new CaseQuery()));
    }

    [Fact]
    public async Task Description_over_1024_bytes_returns_M_BAD_JSON()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (_, aliceToken) = relay.User("alice");

        var response = await relay.PostAsync(RelayHarness.SafetyReportPath("t"), aliceToken,
            new { type = "complaint", regarding = "@m:hs.test", harm = "m.other", description = new string('x', 1025) });

        await MatrixAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "M_BAD_JSON");
    }

    [Fact]
    public async Task Complaint_without_token_returns_M_MISSING_TOKEN()
    {
        await using var relay = await RelayHarness.StartAsync();
        var response = await relay.PostAsync(RelayHarness.SafetyReportPath("t"), token: null,
            new { type = "complaint", regarding = "@m:hs.test", harm = "m.spam.fraud" });
        await MatrixAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "M_MISSING_TOKEN");
    }
}
