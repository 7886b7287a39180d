using System.Net;
using Relay.Core.Cases;
using Relay.Core.Reports;
using Relay.Tests.Harness;

namespace Relay.Tests.Reports;

public sealed class RoomAndUserReportTests
{
    [Fact]
    public async Task Room_report_opens_a_room_case()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var room = relay.Room(alice);

        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.RoomReportPath(room), aliceToken, new { reason = "" }));

        var stored = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal(room, Assert.IsType<ReportTarget.RoomTarget>(stored.Target).RoomId.Value);
        Assert.Equal(ReportSource.ClientRoomReport, Assert.Single(await relay.Cases.GetReportsAsync(stored.Id)).Source);
    }

    [Fact]
    public async Task User_report_opens_a_user_case_and_joins_it_on_the_next_report()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (_, aliceToken) = relay.User("alice");
        var (_, bobToken) = relay.User("bob");
        var (mallory, _) = relay.User("mallory");

        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.UserReportPath(mallory), aliceToken, new { reason = "harasses me" }));
        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.UserReportPath(mallory), bobToken, new { reason = "me too" }));

        var stored = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal(mallory, Assert.IsType<ReportTarget.UserTarget>(stored.Target).UserId.Value);
        Assert.Equal(2, stored.ReporterCount);
    }

    [Theory]
    [InlineData("room")]
    [InlineData("user")]
    public async Task Room_and_user_reports_require_a_reason_per_the_spec(string kind)
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var path = kind == "room" ? RelayHarness.RoomReportPath(relay.Room(alice)) : RelayHarness.UserReportPath("@m:hs.test");

        var response = await relay.PostAsync(path, aliceToken, new { });

        await MatrixAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "M_BAD_JSON");
        Assert.Empty(await relay.Cases.ListCasesAsync(new CaseQuery()));
    }

    [Fact]
    public async Task User_report_accepts_users_of_other_servers_with_historical_localparts()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (_, aliceToken) = relay.User("alice");

        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.UserReportPath("@Old.Style!user:elsewhere.example:8448"), aliceToken, new { reason = "x" }));

        Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
    }
}
