using System.Text.Json.Nodes;
using Relay.Synapse.Tests.Harness;

namespace Relay.Synapse.Tests;

/// <summary>The client report routes, straight to Relay, through matrix-js-sdk, and through the README's nginx routing.</summary>
[Collection(SynapseCollection.Name)]
public sealed class ClientReportTests(SynapseWorld world)
{
    [Fact]
    public async Task A_room_report_reaches_the_rooms_moderator()
    {
        var c = await world.ProtectedRoomAsync();

        var (status, body) = await world.ToRelayAsync(c.Alice, $"_matrix/client/v3/rooms/{Uri.EscapeDataString(c.Room)}/report",
            new() { ["reason"] = "the whole room is spam" });

        Assert.Equal(200, status);
        Assert.Empty(body);
        await c.Mod.WaitForMessageAsync(world.Bot, b => b.Contains($"Room: {c.Room}", StringComparison.Ordinal) && !b.Contains("Event:", StringComparison.Ordinal),
            "the room report's case room");
    }

    [Fact]
    public async Task An_invited_member_reports_a_spam_room_without_joining_and_only_the_community_moderators_hear_of_it()
    {
        var mallory = await world.Users.CreateAsync("mallory");
        var bob = await world.Users.CreateAsync("bob");
        var spam = await mallory.CreateRoomAsync("private_chat");
        await mallory.InviteAsync(spam, bob.UserId);
        var before = EventIds(await mallory.MessagesAsync(spam));

        var (status, _) = await world.ToRelayAsync(bob, $"_matrix/client/v3/rooms/{Uri.EscapeDataString(spam)}/report",
            new() { ["reason"] = "abuse imagery in the invite" });

        Assert.Equal(200, status);
        var (caseRoom, summary) = await world.CommunityModerator.WaitForMessageAsync(world.Bot,
            b => b.Contains($"Invite spam from {mallory.UserId}", StringComparison.Ordinal) && b.Contains(spam, StringComparison.Ordinal),
            "the invite-spam case room of the community moderator");
        Assert.Contains($"(server {mallory.ServerName})", (string)summary["content"]!["body"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(bob.UserId, summary.ToJsonString(), StringComparison.Ordinal);
        var members = await world.CommunityModerator.OkAsync(HttpMethod.Get, $"rooms/{Uri.EscapeDataString(caseRoom)}/members");
        var present = ((JsonArray)members["chunk"]!).Where(m => (string?)m!["content"]!["membership"] is "join" or "invite")
            .Select(m => (string)m!["state_key"]!).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { world.Bot, world.CommunityModerator.UserId }.Order(StringComparer.Ordinal), present);
        // Read back from Synapse: nothing reached mallory's room, bob never joined it, and mallory got no invite or DM.
        Assert.Equal(before, EventIds(await mallory.MessagesAsync(spam)));
        Assert.Equal("invite", await mallory.MembershipAsync(spam, bob.UserId));
        Assert.Empty(await mallory.InvitesAsync());
    }

    [Fact]
    public async Task A_member_who_declined_the_invite_then_reported_still_names_the_inviter()
    {
        var mallory = await world.Users.CreateAsync("mallory");
        var bob = await world.Users.CreateAsync("bob");
        var spam = await mallory.CreateRoomAsync("private_chat");
        await mallory.InviteAsync(spam, bob.UserId);
        await bob.OkAsync(HttpMethod.Post, $"rooms/{Uri.EscapeDataString(spam)}/leave", new JsonObject());

        var (status, _) = await world.ToRelayAsync(bob, $"_matrix/client/v3/rooms/{Uri.EscapeDataString(spam)}/report",
            new() { ["reason"] = "declined and reported" });

        Assert.Equal(200, status);
        await world.CommunityModerator.WaitForMessageAsync(world.Bot,
            b => b.Contains($"Invite spam from {mallory.UserId}", StringComparison.Ordinal) && b.Contains(spam, StringComparison.Ordinal),
            "the declined invite's case room");
    }

    private static List<string> EventIds(List<JsonObject> events) => [.. events.Select(e => (string)e["event_id"]!)];

    [Fact]
    public async Task A_user_report_reaches_the_community_moderator()
    {
        var mallory = await world.Users.CreateAsync("mallory");
        var alice = await world.Users.CreateAsync("alice");

        var (status, _) = await world.ToRelayAsync(alice, $"_matrix/client/v3/users/{Uri.EscapeDataString(mallory.UserId)}/report",
            new() { ["reason"] = "harassment" });

        Assert.Equal(200, status);
        await world.CommunityModerator.WaitForMessageAsync(world.Bot, b => b.Contains($"User: {mallory.UserId}", StringComparison.Ordinal),
            "the user report's case room for the community moderator");
    }

    [Fact]
    public async Task An_msc4457_complaint_about_an_event_answers_a_report_id_and_reaches_the_moderator()
    {
        var c = await world.ProtectedRoomAsync();
        var txn = $"t{Guid.NewGuid():N}";
        var complaint = new JsonObject { ["type"] = "complaint", ["regarding"] = c.Spam, ["room_id"] = c.Room, ["harm"] = "m.spam", ["description"] = "selling followers" };

        var (status, body) = await world.ToRelayAsync(c.Alice, $"_matrix/client/unstable/org.matrix.msc4457/safety/report/{txn}", complaint);
        var (again, replay) = await world.ToRelayAsync(c.Alice, $"_matrix/client/unstable/org.matrix.msc4457/safety/report/{txn}",
            (JsonObject)complaint.DeepClone());

        Assert.Equal(200, status);
        Assert.Equal(200, again);
        Assert.Equal((string?)body["report_id"], (string?)replay["report_id"]);
        var (_, summary) = await c.Mod.WaitForMessageAsync(world.Bot, b => b.Contains(Uri.EscapeDataString(c.Spam), StringComparison.Ordinal), "the complaint's case room");
        Assert.Contains("Distinct reporters so far: 1", (string)summary["content"]!["body"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Matrix_js_sdk_reports_through_the_readme_routing_and_Synapse_keeps_the_forwarded_score()
    {
        var c = await world.ProtectedRoomAsync();

        // The client talks to the public URL only: nginx sends the report to Relay, everything else to Synapse.
        var answer = await JsClient.ReportEventAsync(world.Proxy.Url, c.Alice, c.Room, c.Spam, -100, "selling followers");
        var room = await JsClient.ReportRoomAsync(world.Proxy.Url, c.Alice, c.Room, "a spam room");

        Assert.Empty(answer);
        Assert.Empty(room);
        await c.Mod.WaitForMessageAsync(world.Bot, b => b.Contains(Uri.EscapeDataString(c.Spam), StringComparison.Ordinal), "the js-sdk event report's case room");
        await c.Mod.WaitForMessageAsync(world.Bot, b => b.Contains($"Room: {c.Room}", StringComparison.Ordinal) && !b.Contains("Event:", StringComparison.Ordinal),
            "the js-sdk room report's case room");
        // Forwarded to Synapse's own table (Relay__Reports__ForwardToHomeserverByDefault), with the reporter, reason and score.
        var stored = Assert.Single(await world.SynapseEventReportsAsync(c.Room));
        Assert.Equal(c.Spam, (string?)stored["event_id"]);
        Assert.Equal(c.Alice.UserId, (string?)stored["user_id"]);
        Assert.Equal("selling followers", (string?)stored["reason"]);
        Assert.Equal(-100, (int?)stored["score"]);
    }

    [Fact]
    public async Task A_report_of_an_event_the_reporter_cannot_see_is_M_NOT_FOUND_and_nothing_is_forwarded()
    {
        var c = await world.ProtectedRoomAsync();
        var outsider = await world.Users.CreateAsync("outsider");
        var hidden = await c.Mod.CreateRoomAsync("private_chat");
        var secret = await c.Mod.SayAsync(hidden, "moderators only");

        var (status, body) = await world.ToRelayAsync(outsider, ProtectionTests.EventReportPath(hidden, secret), new() { ["reason"] = "x" });

        Assert.Equal(404, status);
        Assert.Equal("M_NOT_FOUND", (string?)body["errcode"]);
        Assert.Empty(await world.SynapseEventReportsAsync(hidden));
    }
}
