using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Cases;
using Relay.Core.Cases.Actions;
using Relay.Core.Cases.Rooms;
using Relay.Core.Escalation;
using Relay.Core.Queue;
using Relay.Core.Sweep;
using Relay.Tests.Escalation.Fakes;
using Relay.Tests.TestHomeserverTests;

namespace Relay.Tests.Escalation;

public sealed class EscalationLadderTests
{
    [Fact]
    public async Task An_unacknowledged_case_climbs_the_default_ladder_on_schedule_and_stops_before_the_authorities()
    {
        await using var world = await EscalationWorld.StartAsync();
        world.Support.Answer = SupportServer.Good(SupportServer.Contacts(
            ("m.role.admin", world.Support.User("admin"), "admin@remote.test"),
            ("m.role.security", world.Support.User("security"), "security@remote.test")));

        var c = await world.OpenCaseAsync();
        Assert.Equal((CaseState.Open, 1, EscalationWorld.Start.AddHours(1)), (c.State, c.Tier, c.NextDueAt));
        var room = c.CaseRoom!.Value.Value;
        Assert.Contains("Escalation: tier 1 of 5 (room moderators); next: tier 2 (community admins) at 2026-03-01 13:00 UTC unless acknowledged",
            world.BotBodies(room)[0]);

        await world.AdvanceAsync(TimeSpan.FromMinutes(59));
        Assert.Equal(1, (await world.CaseAsync(c.Id)).Tier);

        await world.AdvanceAsync(TimeSpan.FromMinutes(1));
        c = await world.CaseAsync(c.Id);
        Assert.Equal((CaseState.Escalated, 2, EscalationWorld.Start.AddHours(5)), (c.State, c.Tier, c.NextDueAt));
        Assert.Contains(world.U("owner"), world.Homeserver.Members(room, "invite"));
        Assert.Contains(world.BotBodies(room), b => b.StartsWith("⬆️ Escalated to tier 2 of 5: community admins.", StringComparison.Ordinal)
            && b.Contains("Next step: tier 3 (the reported user's homeserver admins) at 2026-03-01 17:00 UTC", StringComparison.Ordinal));

        await world.AdvanceAsync(TimeSpan.FromHours(4));
        c = await world.CaseAsync(c.Id);
        Assert.Equal(3, c.Tier);
        var adminMail = Assert.Single(world.Smtp.Mails);
        Assert.Equal(["security@remote.test"], adminMail.To);
        Assert.Contains(world.Spammer, adminMail.Data);
        Assert.Contains(world.Homeserver.Requests, r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal)
            && System.Text.Encoding.UTF8.GetString(r.Body).Contains(world.Support.User("security"), StringComparison.Ordinal));
        Assert.DoesNotContain(world.Homeserver.Requests, r => System.Text.Encoding.UTF8.GetString(r.Body).Contains(world.Support.User("admin"), StringComparison.Ordinal));

        await world.AdvanceAsync(TimeSpan.FromHours(24));
        c = await world.CaseAsync(c.Id);
        Assert.Equal((4, (DateTimeOffset?)null), (c.Tier, c.NextDueAt));
        Assert.Contains(world.Smtp.Mails, m => m.To.SequenceEqual(["abuse@hosting.test"]));
        var hook = Assert.Single(world.Hosting.Received);
        Assert.Equal((4, c.Id.Value), ((int)hook.Json["tier"]!, (string?)hook.Json["case_id"]));
        Assert.Equal($"{c.Id.Value}:4:hosting_webhook", hook.DeliveryId);

        await world.AdvanceAsync(TimeSpan.FromDays(30));
        Assert.Equal(4, (await world.CaseAsync(c.Id)).Tier);
        Assert.Empty(world.Authorities.Received);
        Assert.Empty(world.Tipline.Submitted);
        var climbs = await world.AuditAsync(c.Id, "case.escalated");
        Assert.Equal(3, climbs.Count);
        Assert.All(climbs, a => Assert.Equal(AuditEntry.System, a.Actor));
        Assert.Contains("tier 1 → 2 (community admins): nobody acknowledged within 1 hour at tier 1", climbs[0].Detail);
        Assert.Empty(await world.AuditAsync(c.Id, "escalation.failed"));
        Assert.Empty(world.Homeserver.Violations);
    }

    [Fact]
    public async Task Acknowledging_stops_the_ladder_and_the_pending_deadline_changes_nothing()
    {
        await using var world = await EscalationWorld.StartAsync();
        var c = await world.OpenCaseAsync();
        world.Homeserver.Join(c.CaseRoom!.Value.Value, world.U("mod"));

        Assert.Equal(CaseEventOutcome.Done, await world.ReactAsync(c, world.U("mod"), "✅"));
        Assert.Equal(1, await world.AdvanceAsync(TimeSpan.FromHours(6)));

        c = await world.CaseAsync(c.Id);
        Assert.Equal((CaseState.Acknowledged, 1, (DateTimeOffset?)null), (c.State, c.Tier, c.NextDueAt));
        Assert.Empty(await world.AuditAsync(c.Id, "case.escalated"));
        var ack = Assert.Single(await world.AuditAsync(c.Id, "case.acknowledged"));
        Assert.Equal(world.U("mod"), ack.Actor);
        Assert.Contains("the escalation ladder stops at tier 1", ack.Detail);
    }

    [Fact]
    public async Task A_stale_early_or_duplicate_case_due_changes_nothing()
    {
        await using var world = await EscalationWorld.StartAsync();
        var c = await world.OpenCaseAsync();
        var handler = world.Relay.App.Services.GetServices<IQueueHandler>().OfType<CaseDueHandler>().Single();
        var tier1 = new QueueDelivery(CaseDue.ToMessage(c.Id, 1, null), 1, false);

        await handler.HandleAsync(tier1, CancellationToken.None);
        Assert.Equal(1, (await world.CaseAsync(c.Id)).Tier);

        await world.AdvanceAsync(TimeSpan.FromHours(1));
        var escalated = await world.CaseAsync(c.Id);
        Assert.Equal(2, escalated.Tier);

        await handler.HandleAsync(tier1, CancellationToken.None);
        await handler.HandleAsync(tier1 with { DeliveryCount = 2 }, CancellationToken.None);
        await handler.HandleAsync(new QueueDelivery(CaseDue.ToMessage(c.Id, 2, null), 1, false), CancellationToken.None);

        var after = await world.CaseAsync(c.Id);
        Assert.Equal((2, escalated.ETag, escalated.NextDueAt), (after.Tier, after.ETag, after.NextDueAt));
        Assert.Single(await world.AuditAsync(c.Id, "case.escalated"));
    }

    [Fact]
    public async Task A_delivery_for_a_tier_the_case_never_reached_a_channel_its_tier_lacks_or_a_closed_case_sends_nothing()
    {
        await using var world = await EscalationWorld.StartAsync();
        var c = await world.OpenCaseAsync();
        var handler = world.Relay.App.Services.GetServices<IQueueHandler>().OfType<DeliverEscalation>().Single();
        Task DeliverAsync(int tier, string channel) =>
            handler.HandleAsync(new QueueDelivery(EscalationDeliver.ToMessage(c.Id, tier, channel, "forged"), 1, false), CancellationToken.None);

        await DeliverAsync(4, ChannelKinds.HostingWebhook);
        await world.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Equal(2, (await world.CaseAsync(c.Id)).Tier);
        await DeliverAsync(2, ChannelKinds.HostingWebhook);
        var services = world.Relay.App.Services;
        await CaseUpdates.ApplyAsync(services.GetRequiredService<ICaseStore>(), services.GetRequiredService<ICaseWriteStore>(), c.Id,
            current => new CaseEdit(current with { State = CaseState.Resolved },
                [new AuditEntry(c.Id, world.Time.GetUtcNow(), world.U("mod"), "case.resolved", "by !resolve")]), CancellationToken.None);
        var notices = world.BotBodies(c.CaseRoom!.Value.Value).Count;
        await DeliverAsync(1, ChannelKinds.CaseRoom);

        Assert.Empty(world.Hosting.Received);
        Assert.Equal(notices, world.BotBodies(c.CaseRoom!.Value.Value).Count);
        var skipped = (await world.AuditAsync(c.Id, "escalation.skipped")).Select(a => a.Detail).ToList();
        Assert.Equal([
            "hosting_webhook tier 4: the case is at tier 1 and never reached tier 4",
            "hosting_webhook tier 2: tier 2 does not list this channel",
            "case_room tier 1: the case is resolved",
        ], skipped);
    }

    [Fact]
    public async Task The_sweep_recovers_a_lost_deadline()
    {
        await using var world = await EscalationWorld.StartAsync();
        var c = await world.OpenCaseAsync();
        await using (var connection = new SqliteConnection($"Data Source={world.Relay.DataPath}"))
        {
            await connection.OpenAsync();
            await using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM Queue WHERE Topic = 'case.due'";
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        }

        Assert.Equal(0, await world.AdvanceAsync(TimeSpan.FromHours(2)));
        Assert.Equal(1, (await world.CaseAsync(c.Id)).Tier);

        var results = await world.Relay.App.Services.GetRequiredService<SweepRunner>().RunAsync(CancellationToken.None);
        Assert.Equal(1, Assert.Single(results, r => r.Part == "overdue-cases").Handled);
        await world.RunAsync();

        Assert.Equal((CaseState.Escalated, 2), ((await world.CaseAsync(c.Id)).State, (await world.CaseAsync(c.Id)).Tier));
        var again = await world.Relay.App.Services.GetRequiredService<SweepRunner>().RunAsync(CancellationToken.None);
        Assert.Equal(0, Assert.Single(again, r => r.Part == "overdue-cases").Handled);
    }

    [Fact]
    public async Task Five_distinct_reporters_bring_in_the_community_admins_at_once()
    {
        await using var world = await EscalationWorld.StartAsync();
        var spam = world.Spam();
        Case c = null!;
        foreach (var reporter in new[] { "member", "member2", "member3", "member4" })
        {
            c = await world.ReportAsync(spam, reporter);
        }
        await world.RunAsync();
        Assert.Equal(1, (await world.CaseAsync(c.Id)).Tier);

        await world.ReportAsync(spam, "mod");
        await world.RunAsync();

        c = await world.CaseAsync(c.Id);
        Assert.Equal((CaseState.Escalated, 2, 5), (c.State, c.Tier, c.ReporterCount));
        Assert.Contains("5 distinct reporters (threshold 5)", Assert.Single(await world.AuditAsync(c.Id, "case.escalated")).Detail);
        Assert.Contains(world.U("owner"), world.Homeserver.Members(c.CaseRoom!.Value.Value, "invite"));
    }

    [Fact]
    public async Task A_community_admin_invited_at_tier_2_can_read_the_summary_sent_before_their_invite()
    {
        await using var world = await EscalationWorld.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:Community:Admins:0"] = "@chief:hs.test",
        });
        var (chief, token) = world.Relay.User("chief");
        var c = await world.OpenCaseAsync();
        var room = c.CaseRoom!.Value.Value;
        Assert.DoesNotContain(chief, world.Homeserver.Members(room, "invite"));
        await world.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Contains(chief, world.Homeserver.Members(room, "invite"));
        world.Homeserver.Join(room, chief);

        using var client = world.Homeserver.Client(token);
        var (status, summary) = await client.GetJsonAsync(
            $"_matrix/client/v3/rooms/{Uri.EscapeDataString(room)}/event/{Uri.EscapeDataString(c.SummaryEvent!.Value.Value)}");

        // Under "invited" or "joined" history the homeserver hides everything sent before the admin's invite.
        Assert.Equal(200, status);
        Assert.Contains("Escalation: tier 1 of 5", (string?)summary["content"]?["body"]);
    }

    [Fact]
    public async Task A_moderator_escalates_one_tier_and_is_told_when_there_is_nowhere_further()
    {
        await using var world = await EscalationWorld.StartAsync();
        var c = await world.OpenCaseAsync();
        world.Homeserver.Join(c.CaseRoom!.Value.Value, world.U("mod"));

        foreach (var expected in new[] { 2, 3, 4, 5 })
        {
            Assert.Equal(CaseEventOutcome.Done, await world.ReactAsync(c, world.U("mod"), "⬆️"));
            Assert.Equal(expected, (await world.CaseAsync(c.Id)).Tier);
        }
        Assert.Equal(CaseEventOutcome.Rejected, await world.ReactAsync(c, world.U("mod"), "⬆️"));
        Assert.Contains(world.BotBodies(c.CaseRoom!.Value.Value), b => b.Contains("the last tier a moderator can reach", StringComparison.Ordinal));
    }
}
