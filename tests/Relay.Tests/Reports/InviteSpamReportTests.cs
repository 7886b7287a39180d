using System.Text;
using System.Text.Json.Nodes;
using Relay.Core.Cases;
using Relay.Core.Cases.Actions;
using Relay.Core.Identifiers;
using Relay.Core.Reports;
using Relay.Tests.Cases;
using Relay.Tests.Harness;
using Relay.TestHomeserver;

namespace Relay.Tests.Reports;

/// <summary>
/// Invite spam (the seeds' case): a member only invited to a spam room reports the room. The case names the inviter, gathers
/// every invite of theirs, belongs to the community moderators alone, and nothing of it reaches the spam room or its people.
/// </summary>
public sealed class InviteSpamReportTests
{
    private const string Admin = "@admin:hs.test";

    private static Dictionary<string, string?> Community() => new() { ["Relay:Community:Moderators:0"] = Admin };

    /// <summary>Mallory's room, with an accomplice she made a moderator; the bot is in it too (the worst case: it could read it).</summary>
    private static string SpamRoom(CaseRoomWorld world, string name = "free stuff")
    {
        var mallory = world.U("mallory");
        var room = world.Homeserver.CreateRoom(mallory, new RoomSetup
        {
            Members = [world.U("eve")],
            PowerLevels = CaseRoomWorld.Levels(new JsonObject { [mallory] = 100, [world.U("eve")] = 50 }),
        });
        world.Homeserver.SendEvent(room, mallory, "m.room.name", new JsonObject { ["name"] = name }, "");
        world.Homeserver.Join(room, world.Bot);
        return room;
    }

    private static async Task ReportRoomAsync(CaseRoomWorld world, string room, string reporter, string reason = "unsolicited abuse imagery")
    {
        var token = world.Homeserver.RegisterUser(world.U(reporter));
        await MatrixAssert.OkAsync(await world.Relay.PostAsync(RelayHarness.RoomReportPath(room), token, new { reason }));
    }

    [Fact]
    public async Task An_invited_member_reporting_a_spam_room_opens_an_invite_spam_case_for_the_community_moderators_only()
    {
        await using var relay = await RelayHarness.StartAsync(Community());
        var world = CaseRoomWorld.Create(relay);
        var spam = SpamRoom(world);
        world.Homeserver.SetMembership(spam, world.U("mallory"), world.Member, "invite");
        var before = world.Homeserver.Timeline(spam).Count;

        await ReportRoomAsync(world, spam, "member");
        await relay.RunQueueAsync();

        var c = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        var target = Assert.IsType<ReportTarget.RoomTarget>(c.Target);
        Assert.Equal((spam, world.U("mallory")), (target.RoomId.Value, target.Inviter?.Value));
        Assert.Equal(CaseGrouping.InviterKey(UserId.Parse(world.U("mallory"))), c.DedupeKey);
        var caseRoom = c.CaseRoom!.Value.Value;
        Assert.Equal([Admin], world.Homeserver.Members(caseRoom, "invite"));
        var summary = (string)world.BotEvents(caseRoom)[0]["content"]!["body"]!;
        Assert.Contains($"Invite spam from {world.U("mallory")} (server hs.test)", summary);
        Assert.Contains("Rooms invited to: 1", summary);
        Assert.DoesNotContain(world.Member, summary);
        Assert.Equal([world.Member], world.Homeserver.Members(spam, "invite"));
        NothingReached(world, spam, before);
    }

    [Fact]
    public async Task Invites_from_one_spammer_to_many_rooms_reported_by_many_members_are_one_case()
    {
        await using var relay = await RelayHarness.StartAsync(Community());
        var world = CaseRoomWorld.Create(relay);
        var rooms = new[] { SpamRoom(world, "one"), SpamRoom(world, "two"), SpamRoom(world, "three") };
        var reporters = new[] { "member", "member2", "member3" };
        for (var i = 0; i < rooms.Length; i++)
        {
            world.Homeserver.SetMembership(rooms[i], world.U("mallory"), world.U(reporters[i]), "invite");
        }
        var before = rooms.ToDictionary(r => r, r => world.Homeserver.Timeline(r).Count);
        for (var i = 0; i < rooms.Length; i++)
        {
            await ReportRoomAsync(world, rooms[i], reporters[i]);
            await relay.RunQueueAsync();
        }

        var c = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal((3, 3), (c.ReporterCount, c.ReportCount));
        var summary = world.BotEvents(c.CaseRoom!.Value.Value)[^1]["content"]!["m.new_content"]!["body"]!.ToString();
        Assert.Contains("Rooms invited to: 3", summary);
        Assert.All(rooms, r => Assert.Contains($"- {r}", summary));
        Assert.Contains("Distinct reporters so far: 3", summary);
        Assert.All(rooms, r => NothingReached(world, r, before[r]));
    }

    [Fact]
    public async Task Invite_spam_by_many_accounts_past_the_budget_gathers_into_one_community_incident()
    {
        var settings = Community();
        settings["Relay:Cases:CaseRoomsPerHour"] = "1";
        await using var relay = await RelayHarness.StartAsync(settings);
        var world = CaseRoomWorld.Create(relay);
        var spammers = new[] { "mallory", "eve", "trent" };
        var rooms = spammers.Select(spammer => SpamRoom(world, spammer)).ToArray();
        for (var i = 0; i < spammers.Length; i++)
        {
            world.Homeserver.SetMembership(rooms[i], world.U(spammers[i]), world.Member, "invite");
        }
        var before = rooms.ToDictionary(r => r, r => world.Homeserver.Timeline(r).Count);
        for (var i = 0; i < spammers.Length; i++)
        {
            await ReportRoomAsync(world, rooms[i], "member");
            await relay.RunQueueAsync();
        }

        var cases = (await relay.Cases.ListCasesAsync(new CaseQuery())).OrderBy(c => c.OpenedAt).ToList();
        Assert.Equal(3, cases.Count);
        Assert.NotNull(cases[0].CaseRoom);
        Assert.All(cases.Skip(1), c => Assert.Null(c.CaseRoom));
        var incident = Assert.Single(cases.Skip(1).Select(c => c.Incident).Distinct())!.Value.Value;
        Assert.Equal([Admin], world.Homeserver.Members(incident, "invite"));
        var summary = world.BotEvents(incident)[^1]["content"]!["m.new_content"]!["body"]!.ToString();
        Assert.StartsWith("Incident in the community (cases about no room)", summary);
        Assert.Contains($"invite spam from {world.U("eve")}", summary);
        Assert.Contains($"invite spam from {world.U("trent")}", summary);
        Assert.All(rooms, r => NothingReached(world, r, before[r]));
    }

    [Fact]
    public async Task An_msc4457_complaint_about_a_room_the_reporter_was_invited_to_is_invite_spam_too()
    {
        await using var relay = await RelayHarness.StartAsync(Community());
        var world = CaseRoomWorld.Create(relay);
        var spam = SpamRoom(world);
        world.Homeserver.SetMembership(spam, world.U("mallory"), world.Member, "invite");
        var token = world.Homeserver.RegisterUser(world.Member);

        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.SafetyReportPath("t1"), token,
            new JsonObject { ["type"] = "complaint", ["regarding"] = spam, ["harm"] = "m.child_safety.csam", ["description"] = "in the invite" }));

        var c = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal(world.U("mallory"), Assert.IsType<ReportTarget.RoomTarget>(c.Target).Inviter?.Value);
        Assert.Null(c.Target.Room);
    }

    [Fact]
    public async Task A_member_who_rejected_the_invite_still_names_the_inviter()
    {
        await using var relay = await RelayHarness.StartAsync(Community());
        var world = CaseRoomWorld.Create(relay);
        var spam = SpamRoom(world);
        world.Homeserver.SetMembership(spam, world.U("mallory"), world.Member, "invite");
        world.Homeserver.Leave(spam, world.Member);

        await ReportRoomAsync(world, spam, "member");

        var c = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal(world.U("mallory"), Assert.IsType<ReportTarget.RoomTarget>(c.Target).Inviter?.Value);
    }

    [Fact]
    public async Task When_the_homeserver_cannot_say_who_invited_the_report_is_still_filed_about_the_room()
    {
        await using var relay = await RelayHarness.StartAsync(Community());
        var world = CaseRoomWorld.Create(relay);
        var spam = SpamRoom(world);
        world.Homeserver.SetMembership(spam, world.U("mallory"), world.Member, "invite");
        world.Homeserver.InjectFault(r => r.Path.EndsWith("/sync", StringComparison.Ordinal), Fault.Status(500));

        await ReportRoomAsync(world, spam, "member");

        var c = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Null(Assert.IsType<ReportTarget.RoomTarget>(c.Target).Inviter);
        Assert.Contains(relay.Logs.GetSnapshot(), l => l.Message.Contains("Could not learn who invited", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invite_to_a_room_the_community_protects_stays_a_report_for_that_rooms_moderators()
    {
        string room = "";
        await using var relay = await RelayHarness.StartAsync(hs =>
        {
            room = hs.CreateRoom("@owner:hs.test");
            return new Dictionary<string, string?> { ["Relay:Reports:ProtectedRooms:0"] = room };
        });
        var (member, token) = relay.User("member");
        relay.Homeserver.SetMembership(room, "@owner:hs.test", member, "invite");

        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.RoomReportPath(room), token, new { reason = "x" }));

        var c = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal(new ReportTarget.RoomTarget(RoomId.Parse(room)), c.Target);
        Assert.DoesNotContain(relay.Homeserver.Requests, r => r.Path.EndsWith("/sync", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Moderators_cannot_kick_or_ban_in_the_spam_room_and_the_policy_ban_aims_at_the_inviter()
    {
        var settings = Community();
        await using var relay = await RelayHarness.StartAsync(settings);
        var world = CaseRoomWorld.Create(relay);
        var spam = SpamRoom(world);
        world.Homeserver.SetMembership(spam, world.U("mallory"), world.Member, "invite");
        var before = world.Homeserver.Timeline(spam).Count;
        await ReportRoomAsync(world, spam, "member");
        await relay.RunQueueAsync();
        var c = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        world.JoinCaseRoom(c, Admin);

        Assert.Equal(CaseEventOutcome.Rejected, await world.CommandAsync(c, Admin, "!kick"));
        Assert.Equal(CaseEventOutcome.Rejected, await world.CommandAsync(c, Admin, "!ban"));
        Assert.Equal(CaseEventOutcome.Rejected, await world.CommandAsync(c, Admin, "!clear"));
        // The spam room's own moderator may not act on the case, though the bot can read that room.
        Assert.NotEqual(CaseEventOutcome.Done, await world.CommandAsync(c, world.U("eve"), "!ack"));
        Assert.Equal(CaseEventOutcome.Done, await world.CommandAsync(c, Admin, "!ack"));
        NothingReached(world, spam, before);
    }

    /// <summary>
    /// Nothing was sent into the spam room, nobody there was invited anywhere or messaged (no DM room names them), and
    /// the only request about the room was the reporter's own lookup.
    /// </summary>
    private static void NothingReached(CaseRoomWorld world, string spam, int eventsBefore)
    {
        Assert.Equal(eventsBefore, world.Homeserver.Timeline(spam).Count);
        foreach (var person in new[] { world.U("mallory"), world.U("eve") })
        {
            Assert.DoesNotContain(world.Homeserver.RoomIds(), r => r != spam && world.Homeserver.Members(r, "invite").Contains(person));
            Assert.DoesNotContain(world.Homeserver.Requests, r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal)
                && Encoding.UTF8.GetString(r.Body).Contains(person, StringComparison.Ordinal));
        }
        var escaped = Uri.EscapeDataString(spam);
        Assert.DoesNotContain(world.Homeserver.Requests, r => (r.Method != "GET" || !r.Path.EndsWith("/sync", StringComparison.Ordinal))
            && (r.Path.Contains(escaped, StringComparison.Ordinal) || r.Path.Contains(spam, StringComparison.Ordinal)));
        Assert.Empty(world.Homeserver.Violations);
    }
}
