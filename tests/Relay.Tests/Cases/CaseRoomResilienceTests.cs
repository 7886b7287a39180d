using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Cases;
using Relay.Core.Cases.Rooms;
using Relay.Core.Queue;
using Relay.Sqlite;
using Relay.Tests.Harness;
using Relay.TestHomeserver;

namespace Relay.Tests.Cases;

public sealed class CaseRoomResilienceTests
{
    private static Task<RelayHarness> StartAsync(CrashingCaseWriteStore? crashing = null, TimeProvider? time = null,
        IDictionary<string, string?>? settings = null) =>
        RelayHarness.StartAsync(settings, services =>
        {
            if (time is not null)
            {
                services.AddSingleton(time);
            }
            services.AddSingleton<CrashingCaseWriteStore>(sp => new CrashingCaseWriteStore(sp.GetRequiredService<SqliteReportStore>()));
            services.AddSingleton<ICaseWriteStore>(sp => sp.GetRequiredService<CrashingCaseWriteStore>());
        });

    private static QueueDelivery Delivery(Case c, int count = 1, bool last = false) =>
        new(ReportReceived.ToMessage(new ReportReceived(c.Id.Value, "report", true)), count, last);

    public static TheoryData<string> Steps => new()
    {
        "createRoom answer lost", "case room stored", "invite answer lost", "invites audited", "summary answer lost", "summary stored",
    };

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task A_handler_that_died_after_any_step_finishes_on_the_next_delivery_and_creates_nothing_twice(string step)
    {
        await using var relay = await StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var filed = await world.ReportAsync(world.Spam());
        var crashing = relay.App.Services.GetRequiredService<CrashingCaseWriteStore>();
        var hs = world.Homeserver;
        switch (step)
        {
            case "createRoom answer lost":
                hs.InjectFault(r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal), Fault.TruncatedJson);
                break;
            case "case room stored":
                crashing.CrashAfterUpdate = 1;
                break;
            case "invite answer lost":
                hs.InjectFault(r => r.Path.EndsWith("/invite", StringComparison.Ordinal), Fault.TruncatedJson);
                break;
            case "invites audited":
                crashing.CrashAfterAudit = 1;
                break;
            case "summary answer lost":
                hs.InjectFault(r => r.Method == "PUT" && r.Path.Contains("/send/m.room.message/", StringComparison.Ordinal), Fault.TruncatedJson);
                break;
            case "summary stored":
                crashing.CrashAfterUpdate = 2;
                break;
        }
        var handler = relay.App.Services.GetRequiredService<OpenCase>();

        await Assert.ThrowsAnyAsync<Exception>(() => handler.HandleAsync(Delivery(filed), CancellationToken.None));
        await handler.HandleAsync(Delivery(filed, count: 2), CancellationToken.None);
        await handler.HandleAsync(Delivery(filed, count: 3), CancellationToken.None);

        var c = await world.CaseAsync(filed.Id);
        var room = c.CaseRoom!.Value.Value;
        Assert.Equal(room, hs.ResolveAlias($"#relay-case-{c.Id.Value.ToLowerInvariant()}:{hs.ServerName}"));
        var summary = Assert.Single(world.BotEvents(room));
        Assert.Equal(c.SummaryEvent!.Value.Value, (string?)summary["event_id"]);
        var invites = hs.Timeline(room).Where(e => (string?)e["type"] == "m.room.member" && (string?)e["content"]?["membership"] == "invite")
            .Select(e => (string)e["state_key"]!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([world.Mod, world.Owner], invites);
        Assert.Equal(1, hs.Requests.Count(r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal))
            - hs.Requests.Count(r => r.Path.EndsWith("/directory/room/" + $"#relay-case-{c.Id.Value.ToLowerInvariant()}:{hs.ServerName}", StringComparison.Ordinal)));
        Assert.Empty(hs.Violations);
    }

    [Fact]
    public async Task A_rate_limited_homeserver_is_waited_out_for_its_retry_after_ms_without_sleeping()
    {
        var time = new InstantTimeProvider();
        await using var relay = await StartAsync(time: time);
        var world = CaseRoomWorld.Create(relay);
        var filed = await world.ReportAsync(world.Spam());
        world.Homeserver.InjectFault(r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal), Fault.RateLimited(1500));
        world.Homeserver.InjectFault(r => r.Path.EndsWith("/invite", StringComparison.Ordinal), Fault.RateLimited(700));

        await relay.RunQueueAsync();

        var c = await world.CaseAsync(filed.Id);
        Assert.NotNull(c.SummaryEvent);
        Assert.Contains(TimeSpan.FromMilliseconds(1500), time.Waits);
        Assert.Contains(TimeSpan.FromMilliseconds(700), time.Waits);
        Assert.Equal(2, world.Homeserver.Members(c.CaseRoom!.Value.Value, "invite").Count);
        Assert.Empty(world.Homeserver.Violations);
    }

    [Fact]
    public async Task A_permanent_refusal_is_recorded_in_the_audit_trail_before_the_message_fails()
    {
        await using var relay = await StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var filed = await world.ReportAsync(world.Spam());
        world.Homeserver.InjectFault(r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal), Fault.Status(403));

        Assert.Equal(1, await relay.RunQueueAsync());

        var failed = Assert.Single(await relay.Cases.GetAuditAsync(filed.Id), a => a.Action == "case_room.failed");
        Assert.Contains("403", failed.Detail);
        Assert.Null((await world.CaseAsync(filed.Id)).CaseRoom);
    }

    [Fact]
    public async Task A_failed_delivery_logs_the_homeservers_errcode_status_and_step()
    {
        await using var relay = await StartAsync();
        var world = CaseRoomWorld.Create(relay);
        await world.ReportAsync(world.Spam());
        world.Homeserver.InjectFault(r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal), Fault.Status(403));

        Assert.Equal(1, await relay.RunQueueAsync());

        var line = Assert.Single(relay.Logs.GetSnapshot(), r => r.Message.Contains("failed delivery", StringComparison.Ordinal));
        Assert.Contains("(403) at POST /_matrix/client/v3/createRoom", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_last_delivery_records_why_it_failed_even_for_transient_errors()
    {
        await using var relay = await StartAsync(time: new InstantTimeProvider());
        var world = CaseRoomWorld.Create(relay);
        var filed = await world.ReportAsync(world.Spam());
        world.Homeserver.InjectFault(r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal), Fault.Status(503), times: 100);
        var handler = relay.App.Services.GetRequiredService<OpenCase>();

        await Assert.ThrowsAnyAsync<Exception>(() => handler.HandleAsync(Delivery(filed, count: 3), CancellationToken.None));
        Assert.DoesNotContain("case_room.failed", await world.AuditActionsAsync(filed.Id));
        await Assert.ThrowsAnyAsync<Exception>(() => handler.HandleAsync(Delivery(filed, count: 10, last: true), CancellationToken.None));

        var failed = Assert.Single(await relay.Cases.GetAuditAsync(filed.Id), a => a.Action == "case_room.failed");
        Assert.Contains("the last", failed.Detail);
    }
}
