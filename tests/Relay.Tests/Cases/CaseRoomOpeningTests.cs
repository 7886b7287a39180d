using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Cases;
using Relay.Core.Cases.Rooms;
using Relay.Tests.Harness;

using Relay.Tests.TestHomeserverTests;

namespace Relay.Tests.Cases;

public sealed class CaseRoomOpeningTests
{
    [Fact]
    public async Task A_report_ends_in_a_private_case_room_with_exactly_the_rooms_moderators_and_one_summary()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var spam = world.Spam();
        var filed = await world.ReportAsync(spam, reason: "links to <script>phishing</script>");

        await relay.RunQueueAsync();

        var c = await world.CaseAsync(filed.Id);
        Assert.NotNull(c.CaseRoom);
        Assert.NotNull(c.SummaryEvent);
        var room = c.CaseRoom.Value.Value;
        var hs = world.Homeserver;
        Assert.Equal([world.Mod, world.Owner], hs.Members(room, "invite").Order(StringComparer.Ordinal));
        Assert.Equal([world.Bot], hs.Members(room, "join"));
        var summary = Assert.Single(world.BotEvents(room));
        Assert.Equal(c.SummaryEvent.Value.Value, (string?)summary["event_id"]);
        var content = summary["content"]!;
        Assert.Equal("m.notice", (string?)content["msgtype"]);
        Assert.Contains("links to <script>phishing</script>", (string?)content["body"]);
        Assert.Contains("links to &lt;script&gt;phishing&lt;/script&gt;", (string?)content["formatted_body"]);
        Assert.Contains($"https://matrix.to/#/{Uri.EscapeDataString(world.Room)}/{Uri.EscapeDataString(spam)}", (string?)content["formatted_body"]);
        Assert.Contains(world.Spammer, (string?)content["body"]);
        Assert.Contains("Distinct reporters so far: 1", (string?)content["body"]);
        Assert.Contains("!kick [reason]", (string?)content["body"]);
        Assert.DoesNotContain(world.Member, summary.ToJsonString());
        Assert.Empty(hs.Violations);
    }

    [Fact]
    public async Task The_case_room_is_shaped_after_msc4226_invite_only_no_guests_shared_history_no_encryption()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var filed = await world.ReportAsync(world.Spam());

        await relay.RunQueueAsync();

        var room = (await world.CaseAsync(filed.Id)).CaseRoom!.Value.Value;
        var hs = world.Homeserver;
        var create = hs.GetState(room, "m.room.create")!;
        Assert.Equal("org.matrix.msc4226.report", (string?)create["type"]);
        Assert.Equal(world.Spammer, (string?)create["org.matrix.msc4226.report.event"]?["sender"]);
        Assert.Null(create["org.matrix.msc4226.report.event"]?["reason"]);
        Assert.Equal("invite", (string?)hs.GetState(room, "m.room.join_rules")!["join_rule"]);
        Assert.Equal("shared", (string?)hs.GetState(room, "m.room.history_visibility")!["history_visibility"]);
        Assert.Equal("forbidden", (string?)hs.GetState(room, "m.room.guest_access")!["guest_access"]);
        Assert.Equal($"Report {filed.Id.Short}", (string?)hs.GetState(room, "m.room.name")!["name"]);
        Assert.Null(hs.GetState(room, "m.room.encryption"));
        Assert.Equal("private", hs.RoomVisibility(room));
        Assert.Equal(room, hs.ResolveAlias($"#relay-case-{filed.Id.Value.ToLowerInvariant()}:{hs.ServerName}"));
        var createRoom = Assert.Single(hs.Requests, r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal));
        Assert.Equal("private_chat", (string?)createRoom.BodyJson()!["preset"]);
        Assert.Contains("case_room.opened", await world.AuditActionsAsync(filed.Id));
        Assert.Empty(hs.Violations);
    }

    [Fact]
    public async Task Moderators_who_accept_after_the_summary_was_sent_can_read_it()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var filed = await world.ReportAsync(world.Spam());

        await relay.RunQueueAsync();

        var c = await world.CaseAsync(filed.Id);
        var room = c.CaseRoom!.Value.Value;
        foreach (var localpart in new[] { "mod", "owner" })
        {
            var (moderator, token) = relay.User(localpart);
            world.Homeserver.Join(room, moderator);
            using var client = world.Homeserver.Client(token);
            var (status, _) = await client.GetJsonAsync(
                $"_matrix/client/v3/rooms/{Uri.EscapeDataString(room)}/event/{Uri.EscapeDataString(c.SummaryEvent!.Value.Value)}");
            Assert.Equal(200, status);
        }
        Assert.Equal("shared", (string?)world.Homeserver.GetState(room, "m.room.history_visibility")!["history_visibility"]);
    }

    [Fact]
    public async Task A_room_this_delivery_created_gets_its_invites_without_membership_reads_before_them()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var filed = await world.ReportAsync(world.Spam());

        await relay.RunQueueAsync();

        var room = (await world.CaseAsync(filed.Id)).CaseRoom!.Value.Value;
        var caseRoomState = "/rooms/" + room + "/state/m.room.member/";
        Assert.DoesNotContain(world.Homeserver.Requests, r => r.Method == "GET" && r.Path.Contains(caseRoomState, StringComparison.Ordinal));
        Assert.Equal([world.Mod, world.Owner], world.Homeserver.Members(room, "invite").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_second_reporter_edits_the_summary_in_place_and_never_opens_a_second_room()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var spam = world.Spam();
        var filed = await world.ReportAsync(spam);
        await relay.RunQueueAsync();

        await world.ReportAsync(spam, reporter: "member2", reason: "me too");
        await world.ReportAsync(spam, reporter: "member2", reason: "me again");
        await relay.RunQueueAsync();

        var c = await world.CaseAsync(filed.Id);
        var room = c.CaseRoom!.Value.Value;
        Assert.Single(world.Homeserver.Requests, r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal));
        var messages = world.BotEvents(room);
        Assert.Equal(2, messages.Count);
        var edit = messages[1]["content"]!;
        Assert.Equal("m.replace", (string?)edit["m.relates_to"]?["rel_type"]);
        Assert.Equal(c.SummaryEvent!.Value.Value, (string?)edit["m.relates_to"]?["event_id"]);
        Assert.Contains("Distinct reporters so far: 2", (string?)edit["m.new_content"]?["body"]);
        Assert.Equal(3, c.SummaryRevision);
        Assert.Empty(world.Homeserver.Violations);
    }

    [Fact]
    public async Task Two_deliveries_at_once_leave_the_summary_showing_the_later_count()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var opened = await world.OpenCaseAsync();
        var spam = ((Relay.Core.Reports.ReportTarget.Event)opened.Target).EventId.Value;
        var handler = relay.App.Services.GetRequiredService<OpenCase>();
        // The first edit is held at the homeserver while a third report is filed and handled, as Azure handles messages
        // side by side.
        world.Homeserver.InjectFault(r => r.Method == "PUT" && r.Path.Contains(".summary-edit.", StringComparison.Ordinal),
            TestHomeserver.Fault.Delay(TimeSpan.FromMilliseconds(500)));

        await world.ReportAsync(spam, reporter: "member2");
        var first = handler.OpenAsync(opened.Id, default);
        await world.ReportAsync(spam, reporter: "member3");
        var second = handler.OpenAsync(opened.Id, default);
        await Task.WhenAll(first, second);

        var latest = world.BotEvents(opened.CaseRoom!.Value.Value)[^1]["content"]!;
        Assert.Contains("Distinct reporters so far: 3", (string?)latest["m.new_content"]?["body"]);
        Assert.Equal(3, (await world.CaseAsync(opened.Id)).SummaryRevision);
    }

    [Fact]
    public async Task The_reported_user_is_never_invited_even_when_a_moderator_and_never_sees_the_reporter()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay, setup => setup with
        {
            PowerLevels = CaseRoomWorld.Levels(new JsonObject
            {
                [$"@owner:hs.test"] = 100, [$"@mod:hs.test"] = 50, ["@spammer:hs.test"] = 50, ["@relay:hs.test"] = 100,
            }),
        });
        var filed = await world.ReportAsync(world.Spam());

        await relay.RunQueueAsync();

        var room = (await world.CaseAsync(filed.Id)).CaseRoom!.Value.Value;
        Assert.DoesNotContain(world.Spammer, world.Homeserver.Members(room, "invite"));
        Assert.DoesNotContain(world.Spammer, world.Homeserver.Members(room, "join"));
        Assert.DoesNotContain(world.Homeserver.Requests, r => r.UserId == world.Spammer && r.BodyText.Contains(world.Member, StringComparison.Ordinal));
        foreach (var e in world.Homeserver.Timeline(room))
        {
            Assert.DoesNotContain(world.Member, e.ToJsonString());
        }
        Assert.Empty(world.Homeserver.Violations);
    }
}
