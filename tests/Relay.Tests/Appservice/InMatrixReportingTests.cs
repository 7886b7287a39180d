using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Appservice;
using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Core.Reports;
using Relay.TestHomeserver;
using Relay.Tests.Harness;

namespace Relay.Tests.Appservice;

public sealed class InMatrixReportingTests
{
    private sealed record Setup(RelayHarness Relay, string Room, string Alice, string Bob, string Mallory, string Spam);

    /// <summary>Alice (creator, 100) invites the bot, which gets 50 so it can redact; Bob and Mallory are members.</summary>
    private static async Task<Setup> ProtectedRoomAsync(RelayHarness relay)
    {
        var (alice, _) = relay.User("alice");
        var (bob, _) = relay.User("bob");
        var (mallory, _) = relay.User("mallory");
        var bot = relay.Homeserver.SenderUserId;
        var room = relay.Homeserver.CreateRoom(alice, new RoomSetup
        {
            Members = [bob, mallory],
            PowerLevels = new JsonObject { ["users"] = new JsonObject { [alice] = 100, [bot] = 50 } },
        });
        relay.Homeserver.SetMembership(room, alice, bot, "invite");
        await MatrixAssert.OkAsync(await relay.PushAsync([relay.LastEvent(room)]));
        await relay.RunQueueUntilAsync(() => Protected(relay).IsProtectedAsync(RoomId.Parse(room)));
        var spam = relay.Message(room, mallory, "buy now");
        return new Setup(relay, room, alice, bob, mallory, spam);
    }

    private static IProtectedRoomStore Protected(RelayHarness relay) => relay.App.Services.GetRequiredService<IProtectedRoomStore>();

    private static string Send(RelayHarness relay, string room, string sender, string type, JsonObject content) =>
        relay.Homeserver.SendEvent(room, sender, type, content);

    private static JsonObject Flag(string target, string key = "🚩") => new()
    {
        ["m.relates_to"] = new JsonObject { ["rel_type"] = "m.annotation", ["event_id"] = target, ["key"] = key },
    };

    private static JsonObject Reply(string target, string body) => new()
    {
        ["msgtype"] = "m.text",
        ["body"] = body,
        ["m.relates_to"] = new JsonObject { ["m.in_reply_to"] = new JsonObject { ["event_id"] = target } },
    };

    private static bool IsRedacted(RelayHarness relay, string room, string eventId) =>
        relay.Homeserver.Timeline(room).Any(e => (string?)e["type"] == "m.room.redaction" && (string?)e["redacts"] == eventId);

    /// <summary>The notices the bot sent to <paramref name="user"/> in a room with just the two of them.</summary>
    /// <summary><paramref name="user"/> opens a DM and invites the bot, as clients do; returns once the bot has joined.</summary>
    private static async Task<string> DirectRoomWithBotAsync(RelayHarness relay, string user)
    {
        var bot = relay.Homeserver.SenderUserId;
        var dm = relay.Homeserver.CreateRoom(user, new RoomSetup { IsDirect = true });
        relay.Homeserver.SetMembership(dm, user, bot, "invite");
        var invite = relay.LastEvent(dm);
        invite["content"]!["is_direct"] = true;
        await MatrixAssert.OkAsync(await relay.PushAsync([invite]));
        await relay.RunQueueUntilAsync(() => relay.Homeserver.Members(dm).Contains(bot));
        return dm;
    }

    private static List<string> DirectNotices(RelayHarness relay, string user, string? room = null)
    {
        var bot = relay.Homeserver.SenderUserId;
        var rooms = room is not null ? [room] : DirectRoomsOf(relay, user);
        return [.. rooms.SelectMany(r => relay.Homeserver.Timeline(r))
            .Where(e => (string?)e["sender"] == bot && (string?)e["type"] == "m.room.message")
            .Select(e => (string)e["content"]!["body"]!)];
    }

    private static List<string> DirectRoomsOf(RelayHarness relay, string user)
    {
        var store = relay.App.Services.GetRequiredService<IDirectRoomStore>();
        return store.FindRoomAsync(UserId.Parse(user)).Result is { } r ? [r.Value] : [];
    }

    [Fact]
    public async Task Invite_by_a_moderator_makes_the_bot_join_and_protect_the_room()
    {
        await using var relay = await RelayHarness.StartAsync();

        var s = await ProtectedRoomAsync(relay);

        Assert.Contains(relay.Homeserver.SenderUserId, relay.Homeserver.Members(s.Room));
        Assert.Contains(RoomId.Parse(s.Room), await Protected(relay).ListAsync(10));
        Assert.Empty(relay.Homeserver.Violations);
    }

    [Fact]
    public async Task Invite_by_a_non_moderator_is_declined()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, _) = relay.User("alice");
        var (bob, _) = relay.User("bob");
        var bot = relay.Homeserver.SenderUserId;
        var room = relay.Homeserver.CreateRoom(alice, new RoomSetup
        {
            Members = [bob],
            PowerLevels = new JsonObject { ["invite"] = 0, ["users"] = new JsonObject { [alice] = 100 } },
        });
        relay.Homeserver.SetMembership(room, bob, bot, "invite");

        await MatrixAssert.OkAsync(await relay.PushAsync([relay.LastEvent(room)]));
        await relay.RunQueueUntilAsync(() => relay.Homeserver.Members(room, "leave").Contains(bot));

        Assert.False(await Protected(relay).IsProtectedAsync(RoomId.Parse(room)));
        Assert.DoesNotContain(bot, relay.Homeserver.Members(room));
        Assert.Empty(relay.Homeserver.Violations);
    }

    [Fact]
    public async Task Invite_whose_stripped_state_shows_no_moderator_is_declined_without_joining()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, _) = relay.User("alice");
        var (bob, _) = relay.User("bob");
        var bot = relay.Homeserver.SenderUserId;
        var room = relay.Homeserver.CreateRoom(alice, new RoomSetup
        {
            Members = [bob],
            PowerLevels = new JsonObject { ["invite"] = 0, ["users"] = new JsonObject { [alice] = 100 } },
        });
        relay.Homeserver.SetMembership(room, bob, bot, "invite");
        var invite = relay.LastEvent(room);
        invite["unsigned"]!["invite_room_state"] = new JsonArray(
            Stripped(relay.Homeserver.GetStateEvent(room, "m.room.create")!),
            Stripped(relay.Homeserver.GetStateEvent(room, "m.room.power_levels")!));

        await MatrixAssert.OkAsync(await relay.PushAsync([invite]));
        await relay.RunQueueUntilAsync(() => relay.Homeserver.Members(room, "leave").Contains(bot));

        Assert.DoesNotContain(relay.Homeserver.Requests, r => r.Path.Contains("/join", StringComparison.Ordinal));
        Assert.Empty(relay.Homeserver.Violations);
    }

    private static JsonObject Stripped(JsonObject e) => new()
    {
        ["type"] = e["type"]!.DeepClone(),
        ["state_key"] = e["state_key"]!.DeepClone(),
        ["sender"] = e["sender"]!.DeepClone(),
        ["content"] = e["content"]!.DeepClone(),
    };

    [Fact]
    public async Task Kicking_the_bot_unprotects_the_room()
    {
        await using var relay = await RelayHarness.StartAsync();
        var s = await ProtectedRoomAsync(relay);

        relay.Homeserver.SetMembership(s.Room, s.Alice, relay.Homeserver.SenderUserId, "leave");
        await MatrixAssert.OkAsync(await relay.PushAsync([relay.LastEvent(s.Room)]));

        Assert.False(await Protected(relay).IsProtectedAsync(RoomId.Parse(s.Room)));
    }

    [Fact]
    public async Task Flag_reaction_files_a_report_redacts_the_reaction_and_tells_the_reporter()
    {
        await using var relay = await RelayHarness.StartAsync();
        var s = await ProtectedRoomAsync(relay);
        var reaction = Send(relay, s.Room, s.Bob, "m.reaction", Flag(s.Spam));

        await MatrixAssert.OkAsync(await relay.PushAsync([relay.Homeserver.Timeline(s.Room)[^1]]));

        var stored = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        var target = Assert.IsType<ReportTarget.Event>(stored.Target);
        Assert.Equal(s.Spam, target.EventId.Value);
        Assert.Equal(s.Mallory, target.Sender.Value);
        var report = Assert.Single(await relay.Cases.GetReportsAsync(stored.Id));
        Assert.Equal(ReportSource.Reaction, report.Source);
        Assert.Equal(s.Bob, report.Reporter?.Value);
        await relay.RunQueueUntilAsync(() => IsRedacted(relay, s.Room, reaction) && DirectNotices(relay, s.Bob).Count > 0);
        Assert.Contains(stored.Id.Value, Assert.Single(DirectNotices(relay, s.Bob)));
        Assert.Contains(s.Bob, relay.Homeserver.Members(DirectRoomsOf(relay, s.Bob)[0], "invite"));
        Assert.Empty(relay.Homeserver.Violations);
    }

    [Fact]
    public async Task Other_reactions_and_reactions_in_unprotected_rooms_file_nothing()
    {
        await using var relay = await RelayHarness.StartAsync();
        var s = await ProtectedRoomAsync(relay);
        Send(relay, s.Room, s.Bob, "m.reaction", Flag(s.Spam, "👍"));
        var (carol, _) = relay.User("carol");
        var other = relay.Room(carol, s.Bob);
        var elsewhere = relay.Message(other, carol);
        Send(relay, other, s.Bob, "m.reaction", Flag(elsewhere));

        await MatrixAssert.OkAsync(await relay.PushAsync([relay.LastEvent(s.Room), relay.LastEvent(other)]));

        Assert.Empty(await relay.Cases.ListCasesAsync(new CaseQuery()));
    }

    [Fact]
    public async Task Replayed_transaction_is_acknowledged_without_reprocessing()
    {
        await using var relay = await RelayHarness.StartAsync();
        var s = await ProtectedRoomAsync(relay);
        Send(relay, s.Room, s.Bob, "m.reaction", Flag(s.Spam));
        var reaction = relay.LastEvent(s.Room);

        await MatrixAssert.OkAsync(await relay.PushAsync([reaction], "77"));
        var fetches = relay.Homeserver.Requests.Count(r => r.Path.Contains("/event/", StringComparison.Ordinal));
        await MatrixAssert.OkAsync(await relay.PushAsync([reaction], "77"));

        Assert.Equal(fetches, relay.Homeserver.Requests.Count(r => r.Path.Contains("/event/", StringComparison.Ordinal)));
        Assert.Single(await relay.Cases.GetReportsAsync(Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery())).Id));
    }

    [Fact]
    public async Task Reused_txnId_with_a_new_body_after_a_counter_restart_is_processed()
    {
        await using var relay = await RelayHarness.StartAsync();
        var s = await ProtectedRoomAsync(relay);
        Send(relay, s.Room, s.Bob, "m.reaction", Flag(s.Spam));
        await MatrixAssert.OkAsync(await relay.PushAsync([relay.LastEvent(s.Room)], "1"));
        Send(relay, s.Room, s.Alice, "m.reaction", Flag(s.Spam));

        await MatrixAssert.OkAsync(await relay.PushAsync([relay.LastEvent(s.Room)], "1"));

        var stored = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal(2, stored.ReporterCount);
    }

    [Fact]
    public async Task Report_command_reply_files_with_its_reason_and_is_redacted()
    {
        await using var relay = await RelayHarness.StartAsync();
        var s = await ProtectedRoomAsync(relay);
        var command = Send(relay, s.Room, s.Bob, "m.room.message",
            Reply(s.Spam, "> <@mallory:hs.test> buy now\n\n!report scam links\nsecond line"));

        await MatrixAssert.OkAsync(await relay.PushAsync([relay.LastEvent(s.Room)]));

        var stored = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        var report = Assert.Single(await relay.Cases.GetReportsAsync(stored.Id));
        Assert.Equal("scam links", report.Reason);
        Assert.Equal(ReportSource.Command, report.Source);
        await relay.RunQueueUntilAsync(() => IsRedacted(relay, s.Room, command) && DirectNotices(relay, s.Bob).Count > 0);
        Assert.Empty(relay.Homeserver.Violations);
    }

    [Fact]
    public async Task Direct_message_with_a_link_files_a_report_and_is_answered_in_the_dm()
    {
        await using var relay = await RelayHarness.StartAsync();
        var s = await ProtectedRoomAsync(relay);
        var dm = await DirectRoomWithBotAsync(relay, s.Bob);
        relay.Message(dm, s.Bob, $"https://matrix.to/#/{Uri.EscapeDataString(s.Room)}/{Uri.EscapeDataString(s.Spam)}?via=hs.test harassment");

        await MatrixAssert.OkAsync(await relay.PushAsync([relay.LastEvent(dm)]));

        var stored = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        var report = Assert.Single(await relay.Cases.GetReportsAsync(stored.Id));
        Assert.Equal(ReportSource.DirectMessage, report.Source);
        Assert.Equal("harassment", report.Reason);
        await relay.RunQueueUntilAsync(() => DirectNotices(relay, s.Bob, dm).Count > 0);
        Assert.Contains(stored.Id.Value, DirectNotices(relay, s.Bob, dm)[0]);
        Assert.False(await Protected(relay).IsProtectedAsync(RoomId.Parse(dm)));
        Assert.Empty(relay.Homeserver.Violations);
    }

    [Fact]
    public async Task Followup_in_the_dm_invites_the_reporter_to_the_case_room_at_power_minus_one()
    {
        await using var relay = await RelayHarness.StartAsync();
        var s = await ProtectedRoomAsync(relay);
        var dm = await DirectRoomWithBotAsync(relay, s.Bob);
        relay.Message(dm, s.Bob, $"https://matrix.to/#/{Uri.EscapeDataString(s.Room)}/{Uri.EscapeDataString(s.Spam)} spam");
        await MatrixAssert.OkAsync(await relay.PushAsync([relay.LastEvent(dm)]));
        var opened = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery()));
        await relay.RunQueueUntilAsync(async () => (await relay.Cases.GetCaseAsync(opened.Id))!.CaseRoom is not null
            && DirectNotices(relay, s.Bob, dm).Count > 0);
        Assert.Contains($"!followup {opened.Id}", DirectNotices(relay, s.Bob, dm)[0], StringComparison.Ordinal);
        var caseRoom = (await relay.Cases.GetCaseAsync(opened.Id))!.CaseRoom!.Value.Value;
        Assert.DoesNotContain(s.Bob, relay.Homeserver.Members(caseRoom, "invite"));

        relay.Message(dm, s.Bob, $"!followup {opened.Id.Value.ToLowerInvariant()}");
        await MatrixAssert.OkAsync(await relay.PushAsync([relay.LastEvent(dm)]));
        await relay.RunQueueUntilAsync(() => DirectNotices(relay, s.Bob, dm).Count > 1);

        Assert.Contains(s.Bob, relay.Homeserver.Members(caseRoom, "invite"));
        var levels = relay.Homeserver.GetState(caseRoom, "m.room.power_levels")!;
        Assert.Equal(-1, (int)levels["users"]![s.Bob]!);
        Assert.Contains("You now follow", DirectNotices(relay, s.Bob, dm)[1], StringComparison.Ordinal);
        Assert.Empty(relay.Homeserver.Violations);
    }

    [Fact]
    public async Task Followup_for_someone_elses_case_is_refused_in_the_dm()
    {
        await using var relay = await RelayHarness.StartAsync();
        var s = await ProtectedRoomAsync(relay);
        var filed = await relay.App.Services.GetRequiredService<ReportIntake>().FileAsync(new ReportSubmission(
            Reporter.Matrix(UserId.Parse(s.Alice)), new ReportTarget.UserTarget(UserId.Parse(s.Mallory)), null, "x", ReportSource.ClientUserReport));
        var caseId = ((IntakeOutcome.Filed)filed).Case.Id;
        var dm = await DirectRoomWithBotAsync(relay, s.Bob);

        relay.Message(dm, s.Bob, $"!followup {caseId}");
        await MatrixAssert.OkAsync(await relay.PushAsync([relay.LastEvent(dm)]));
        await relay.RunQueueUntilAsync(() => DirectNotices(relay, s.Bob, dm).Count > 0);

        Assert.Contains("only a case you reported", DirectNotices(relay, s.Bob, dm)[0], StringComparison.Ordinal);
        Assert.Empty(relay.Homeserver.Violations);
    }

    [Fact]
    public async Task Direct_message_from_a_non_member_files_nothing_and_says_why()
    {
        await using var relay = await RelayHarness.StartAsync();
        var s = await ProtectedRoomAsync(relay);
        var bot = relay.Homeserver.SenderUserId;
        var (carol, _) = relay.User("carol");
        var dm = relay.Homeserver.CreateRoom(carol, new RoomSetup { Members = [bot] });
        relay.Message(dm, carol, $"https://matrix.to/#/{s.Room}/{s.Spam}");

        await MatrixAssert.OkAsync(await relay.PushAsync([relay.LastEvent(dm)]));

        Assert.Empty(await relay.Cases.ListCasesAsync(new CaseQuery()));
        await relay.RunQueueUntilAsync(() => DirectNotices(relay, carol, dm).Count > 0);
        Assert.Contains("member", DirectNotices(relay, carol, dm)[0], StringComparison.Ordinal);
        Assert.Empty(relay.Homeserver.Violations);
    }
}
