using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Relay.Core.Cases;
using Relay.Core.Cases.Rooms;
using Relay.Core.Memory;
using Relay.Core.Reports;
using Relay.Tests.Harness;

namespace Relay.Tests.Cases;

/// <summary>A raid by many accounts: past the budget of case rooms per room per hour, cases gather into one incident.</summary>
public sealed class CaseRoomBudgetTests
{
    private static readonly string[] Raiders = ["spammer", "member2", "member3", "owner"];

    private static async Task<List<Case>> RaidAsync(CaseRoomWorld world)
    {
        foreach (var raider in Raiders)
        {
            await world.ReportAsync(world.Relay.Message(world.Room, world.U(raider), "raid"), reporter: "member");
        }
        await world.Relay.RunQueueAsync();
        return [.. (await world.Relay.Cases.ListCasesAsync(new CaseQuery())).OrderBy(c => c.OpenedAt).ThenBy(c => c.Id.Value, StringComparer.Ordinal)];
    }

    /// <summary>Case and incident rooms (both have an alias); DM rooms with reporters do not count.</summary>
    private static int RoomsCreated(CaseRoomWorld world) => world.Homeserver.Requests
        .Where(r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal))
        .Select(r => (string?)r.BodyJson()?["room_alias_name"]).OfType<string>().Distinct().Count();

    [Fact]
    public async Task Past_the_budget_new_cases_share_one_incident_room_whose_summary_lists_them_and_the_audit_says_why()
    {
        await using var relay = await RelayHarness.StartAsync(new Dictionary<string, string?> { ["Relay:Cases:CaseRoomsPerHour"] = "2" });
        var world = CaseRoomWorld.Create(relay);

        var cases = await RaidAsync(world);

        Assert.Equal(4, cases.Count);
        Assert.Equal(2, cases.Count(c => c.CaseRoom is not null));
        var gathered = cases.Where(c => c.CaseRoom is null).ToList();
        Assert.Equal(2, gathered.Count);
        var incident = Assert.Single(gathered.Select(c => c.Incident).Distinct())!.Value.Value;
        Assert.Equal(3, RoomsCreated(world));
        // Invited by the first case gathered there (about @member3), whose moderators are @mod and @owner.
        Assert.Equal([world.Mod, world.Owner], world.Homeserver.Members(incident, "invite").Order(StringComparer.Ordinal));
        var latest = world.BotEvents(incident)[^1]["content"]!;
        var body = (string)latest["m.new_content"]!["body"]!;
        Assert.Contains("2 case(s) past the budget of 2 case rooms per hour", body);
        Assert.All(gathered, c => Assert.Contains($"Case {c.Id.Short}", body));
        Assert.DoesNotContain(world.Member, body);
        Assert.Contains((await relay.Cases.GetAuditAsync(cases[1].Id)), a => a.Action == "case_room.opened" && a.Detail!.Contains("budget=2/h opened_last_hour=1"));
        Assert.Contains((await relay.Cases.GetAuditAsync(gathered[1].Id)), a => a.Action == "case_room.gathered"
            && a.Detail == $"budget=2/h opened_last_hour=2 incident={incident}");
        Assert.Empty(world.Homeserver.Violations);
    }

    [Fact]
    public async Task An_incident_summary_lists_the_first_fifty_cases_and_says_how_many_more_so_it_fits_one_event()
    {
        await using var relay = await RelayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:Cases:CaseRoomsPerHour"] = "1",
            ["Relay:Reports:PerReporterPerMinute"] = "100",
            ["Relay:Reports:PerRoomPerMinute"] = "100",
        });
        var world = CaseRoomWorld.Create(relay);
        for (var i = 0; i < 53; i++)
        {
            var raider = world.U($"raider{i}");
            world.Homeserver.Join(world.Room, raider);
            await world.ReportAsync(relay.Message(world.Room, raider, "raid"), reporter: "member");
        }
        await relay.RunQueueAsync();

        var gathered = (await relay.Cases.ListCasesAsync(new CaseQuery())).Where(c => c.IsGathered).ToList();
        Assert.Equal(52, gathered.Count);
        var incident = Assert.Single(gathered.Select(c => c.Incident).Distinct())!.Value.Value;
        var body = (string)world.BotEvents(incident)[^1]["content"]!["m.new_content"]!["body"]!;
        Assert.Contains("52 case(s) past the budget of 1 case rooms per hour", body);
        Assert.Equal(50, body.Split('\n').Count(line => line.StartsWith("- Case ", StringComparison.Ordinal)));
        Assert.Contains("- … and 2 newer: act on them by name, with all", body);
    }

    [Fact]
    public async Task A_gathered_case_that_grows_is_counted_again_in_the_incident_summary_without_a_room_of_its_own()
    {
        await using var relay = await RelayHarness.StartAsync(new Dictionary<string, string?> { ["Relay:Cases:CaseRoomsPerHour"] = "1" });
        var world = CaseRoomWorld.Create(relay);
        var cases = await RaidAsync(world);
        var last = cases[^1];
        var reported = ((Relay.Core.Reports.ReportTarget.Event)last.Target).EventId.Value;

        await world.ReportAsync(reported, reporter: "member2");
        await relay.RunQueueAsync();

        var grown = await world.CaseAsync(last.Id);
        Assert.Null(grown.CaseRoom);
        Assert.Equal(2, grown.ReporterCount);
        var body = (string)world.BotEvents(grown.Incident!.Value.Value)[^1]["content"]!["m.new_content"]!["body"]!;
        Assert.Contains($"Case {last.Id.Short} (unspecified, open): {world.U("owner")}", body);
        Assert.Contains("2 reporters, 2 reports", body);
        Assert.Equal(2, RoomsCreated(world));
    }

    [Fact]
    public async Task Two_refreshes_of_an_incident_at_once_leave_its_summary_as_the_later_read_saw_it()
    {
        await using var relay = await RelayHarness.StartAsync(new Dictionary<string, string?> { ["Relay:Cases:CaseRoomsPerHour"] = "1" });
        var world = CaseRoomWorld.Create(relay);
        var gathered = (await RaidAsync(world)).Single(c => c.IsGathered && c.Target.ReportedUser?.Value == world.U("member2"));
        var reported = ((ReportTarget.Event)gathered.Target).EventId.Value;
        var incidents = relay.App.Services.GetRequiredService<IncidentRooms>();
        // The first refresh's edit, a summary not sent before, is held at the homeserver while another report joins the
        // case and a second refresh runs.
        world.Homeserver.InjectFault(r => r.Method == "PUT" && r.Path.Contains("/send/m.room.message/relay.incident.", StringComparison.Ordinal)
            && r.Path.Contains(".edit.", StringComparison.Ordinal), TestHomeserver.Fault.Delay(TimeSpan.FromMilliseconds(500)));

        await world.ReportAsync(reported, reporter: "member3");
        var first = incidents.RefreshAsync(await world.CaseAsync(gathered.Id), default);
        await world.ReportAsync(reported, reporter: "owner");
        var second = incidents.RefreshAsync(await world.CaseAsync(gathered.Id), default);
        await Task.WhenAll(first, second);

        var body = (string)world.BotEvents(gathered.Incident!.Value.Value)[^1]["content"]!["m.new_content"]!["body"]!;
        var line = Assert.Single(body.Split('\n'), l => l.StartsWith($"- Case {gathered.Id.Short} ", StringComparison.Ordinal));
        Assert.EndsWith("3 reporters, 3 reports", line);
    }

    [Fact]
    public async Task With_a_moderators_room_the_incident_is_that_room()
    {
        await using var relay = await RelayHarness.StartAsync(hs => new Dictionary<string, string?>
        {
            ["Relay:Cases:CaseRoomsPerHour"] = "1",
            ["Relay:Community:ModeratorsRoom"] = hs.CreateRoom(hs.SenderUserId),
        });
        var world = CaseRoomWorld.Create(relay);
        var moderatorsRoom = relay.App.Services.GetRequiredService<CaseRoomSettings>().ModeratorsRoom!.Value;

        var cases = await RaidAsync(world);

        Assert.Equal(3, cases.Count(c => c.Incident == moderatorsRoom));
        Assert.Equal(1, RoomsCreated(world));
        Assert.Contains(world.BotEvents(moderatorsRoom.Value), e => ((string?)e["content"]!["body"])!.Contains("3 case(s) past the budget", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Checks_within_30_seconds_count_from_memory_and_the_next_one_reads_the_rooms_other_instances_opened()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var relay = await RelayHarness.StartAsync(services: services => services.AddSingleton<TimeProvider>(time));
        var world = CaseRoomWorld.Create(relay);
        var store = new CountingCaseStore(relay.Cases);
        // Another instance's budget: the rooms the harness's own Relay opens reach it only through the store.
        var budget = new CaseRoomBudget(store, new CaseRoomSettings([], CaseRoomsPerHour: 2), time,
            relay.App.Services.GetRequiredService<CacheLimits>());

        // A second between filings: the world finds a filed case as the newest, and ids order by the clock.
        var first = await budget.CheckAsync(await FileAsync(world, "member2"), default);
        time.Advance(TimeSpan.FromSeconds(1));
        await world.OpenCaseAsync();
        time.Advance(TimeSpan.FromSeconds(1));
        var second = await budget.CheckAsync(await FileAsync(world, "member3"), default);
        var listedBefore = store.Listings;
        time.Advance(CaseRoomBudget.Reread);
        var third = await budget.CheckAsync(await FileAsync(world, "owner"), default);

        Assert.Equal(new BudgetCheck(true, 0, 2), first);
        Assert.Equal(new BudgetCheck(true, 1, 2), second);
        Assert.Equal(1, listedBefore);
        Assert.Equal(new BudgetCheck(false, 2, 2), third);
        Assert.Equal(2, store.Listings);
    }

    [Fact]
    public async Task Cases_checked_at_once_on_one_instance_do_not_both_take_the_last_place_and_a_retry_keeps_its_own()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var relay = await RelayHarness.StartAsync(services: services => services.AddSingleton<TimeProvider>(time));
        var world = CaseRoomWorld.Create(relay);
        var budget = new CaseRoomBudget(relay.Cases, new CaseRoomSettings([], CaseRoomsPerHour: 1), time,
            relay.App.Services.GetRequiredService<CacheLimits>());
        var a = await FileAsync(world, "member2");
        time.Advance(TimeSpan.FromSeconds(1));
        var b = await FileAsync(world, "member3");

        var checks = await Task.WhenAll(budget.CheckAsync(a, default), budget.CheckAsync(b, default));
        var retry = await budget.CheckAsync(checks[0].HasRoom ? a : b, default);

        Assert.Equal(1, checks.Count(c => c.HasRoom));
        Assert.Equal(new BudgetCheck(false, 1, 1), checks.Single(c => !c.HasRoom));
        Assert.Equal(new BudgetCheck(true, 0, 1), retry);
    }

    /// <summary>A case about a message of <paramref name="sender"/>, filed but without its room (the queue has not run).</summary>
    private static async Task<Case> FileAsync(CaseRoomWorld world, string sender)
    {
        var filed = await world.ReportAsync(world.Relay.Message(world.Room, world.U(sender), "raid"), reporter: "member");
        return await world.CaseAsync(filed.Id);
    }

    private sealed class CountingCaseStore(ICaseStore inner) : ICaseStore
    {
        public int Listings;

        public Task<Case?> GetCaseAsync(CaseId id, CancellationToken cancellationToken = default) => inner.GetCaseAsync(id, cancellationToken);

        public Task<IReadOnlyList<Case>> ListCasesAsync(CaseQuery query, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Listings);
            return inner.ListCasesAsync(query, cancellationToken);
        }

        public Task<IReadOnlyList<Report>> GetReportsAsync(CaseId id, CancellationToken cancellationToken = default) =>
            inner.GetReportsAsync(id, cancellationToken);

        public Task<IReadOnlyList<AuditEntry>> GetAuditAsync(CaseId id, CancellationToken cancellationToken = default) =>
            inner.GetAuditAsync(id, cancellationToken);
    }
}
