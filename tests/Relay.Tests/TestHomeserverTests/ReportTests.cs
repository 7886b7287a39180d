using System.Text.Json.Nodes;
using Relay.TestHomeserver;
using Homeserver = Relay.TestHomeserver.TestHomeserver;

namespace Relay.Tests.TestHomeserverTests;

public sealed class ReportTests
{
    [Fact]
    public async Task Event_report_by_a_member_is_recorded()
    {
        await using var hs = await Homeserver.StartAsync();
        var token = hs.RegisterUser("@alice:hs.test");
        var room = hs.CreateRoom("@alice:hs.test");
        var eventId = hs.SendEvent(room, "@alice:hs.test", "m.room.message", new JsonObject { ["body"] = "spam" });

        var (status, _) = await hs.Client(token).PostJsonAsync(
            $"_matrix/client/v3/rooms/{Matrix.E(room)}/report/{Matrix.E(eventId)}", new JsonObject { ["reason"] = "spam" });

        Assert.Equal(200, status);
        Assert.Equal(new ReceivedReport(ReportKind.Event, "@alice:hs.test", room, eventId, null, "spam"), Assert.Single(hs.Reports));
        Assert.Empty(hs.Violations);
    }

    [Fact]
    public async Task Event_report_by_a_non_member_is_M_NOT_FOUND_and_not_recorded()
    {
        await using var hs = await Homeserver.StartAsync();
        var token = hs.RegisterUser("@mallory:hs.test");
        var room = hs.CreateRoom("@alice:hs.test");
        var eventId = hs.SendEvent(room, "@alice:hs.test", "m.room.message", new JsonObject { ["body"] = "x" });

        var (status, body) = await hs.Client(token).PostJsonAsync(
            $"_matrix/client/r0/rooms/{Matrix.E(room)}/report/{Matrix.E(eventId)}", []);

        Assert.Equal(404, status);
        Assert.Equal("M_NOT_FOUND", body.Errcode());
        Assert.Empty(hs.Reports);
    }

    [Fact]
    public async Task Room_report_needs_no_membership_but_needs_a_reason()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom("@alice:hs.test");
        var client = hs.Client(hs.AsToken);

        var (missing, missingBody) = await client.PostJsonAsync($"_matrix/client/v3/rooms/{Matrix.E(room)}/report", []);
        var (ok, _) = await client.PostJsonAsync($"_matrix/client/v3/rooms/{Matrix.E(room)}/report", new JsonObject { ["reason"] = "" });

        Assert.Equal(400, missing);
        Assert.Equal("M_BAD_JSON", missingBody.Errcode());
        Assert.Equal(200, ok);
        Assert.Equal(ReportKind.Room, Assert.Single(hs.Reports).Kind);
        Assert.Single(hs.Violations);
    }

    [Fact]
    public async Task User_report_for_an_unknown_user_is_M_NOT_FOUND()
    {
        await using var hs = await Homeserver.StartAsync();
        hs.RegisterUser("@alice:hs.test");
        var client = hs.Client(hs.AsToken);

        var (unknown, _) = await client.PostJsonAsync($"_matrix/client/v3/users/{Matrix.E("@ghost:hs.test")}/report", new JsonObject { ["reason"] = "r" });
        var (known, _) = await client.PostJsonAsync($"_matrix/client/v3/users/{Matrix.E("@alice:hs.test")}/report", new JsonObject { ["reason"] = "r" });

        Assert.Equal(404, unknown);
        Assert.Equal(200, known);
        Assert.Equal("@alice:hs.test", Assert.Single(hs.Reports).UserId);
    }

    [Fact]
    public async Task Body_that_is_not_JSON_gives_M_NOT_JSON_and_a_violation()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom("@alice:hs.test");

        using var response = await hs.Client(hs.AsToken).PostAsync($"_matrix/client/v3/rooms/{Matrix.E(room)}/report", Matrix.Json("reason=spam"));
        var (status, body) = await Matrix.ReadAsync(response);

        Assert.Equal(400, status);
        Assert.Equal("M_NOT_JSON", body.Errcode());
        Assert.Contains("M_NOT_JSON", Assert.Single(hs.Violations), StringComparison.Ordinal);
        Assert.Empty(hs.Reports);
    }

    [Fact]
    public async Task Wrong_type_in_body_gives_M_BAD_JSON()
    {
        await using var hs = await Homeserver.StartAsync();
        var room = hs.CreateRoom("@alice:hs.test");

        var (status, body) = await hs.Client(hs.AsToken).PostJsonAsync($"_matrix/client/v3/rooms/{Matrix.E(room)}/report", new JsonObject { ["reason"] = 5 });

        Assert.Equal(400, status);
        Assert.Equal("M_BAD_JSON", body.Errcode());
    }
}
