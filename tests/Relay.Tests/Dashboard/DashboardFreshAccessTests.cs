using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Relay.Core.Cases.Rooms;
using Relay.Tests.Cases;

namespace Relay.Tests.Dashboard;

/// <summary>
/// Read access follows the rooms' current power levels (read at most 30 s ago), and anonymous sign-in asks cost the
/// homeserver a bounded amount however many arrive.
/// </summary>
public sealed class DashboardFreshAccessTests
{
    [Fact]
    public async Task A_moderator_demoted_after_signing_in_stops_reading_the_rooms_cases_once_the_30_second_read_expires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var world = await DashboardWorld.CreateAsync(services: s => s.AddSingleton<TimeProvider>(time));
        using var browser = await world.SignedInAsync(world.Mod);
        Assert.Contains(world.CaseA.Id.Value, await browser.PageAsync("/_relay/cases"));
        var hs = world.Relay.Homeserver;

        // Not pushed to Relay (no appservice transaction): only the expiry of the read can reveal it.
        hs.SendEvent(world.RoomA, world.A.Owner, "m.room.power_levels",
            CaseRoomWorld.Levels(new JsonObject { [world.A.Owner] = 100, [world.Mod] = 0, [hs.SenderUserId] = 100 }), "");
        time.Advance(ModeratorDirectory.RememberFor + TimeSpan.FromSeconds(1));
        var list = await browser.GetAsync("/_relay/cases");
        var page = await browser.GetAsync("/_relay/cases/" + world.CaseA.Id.Value);

        // The session held room A for 12 hours before; now it ends, as its user moderates nothing.
        Assert.Equal(HttpStatusCode.Redirect, list.StatusCode);
        Assert.Equal("/_relay/sign-in", list.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.DoesNotContain("spam links in room A", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Ended for good: promoted again, the old cookie still signs nobody in.
        hs.SendEvent(world.RoomA, world.A.Owner, "m.room.power_levels",
            CaseRoomWorld.Levels(new JsonObject { [world.A.Owner] = 100, [world.Mod] = 50, [hs.SenderUserId] = 100 }), "");
        time.Advance(ModeratorDirectory.RememberFor + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/_relay/cases")).StatusCode);
    }

    [Fact]
    public async Task A_moderator_of_two_rooms_demoted_in_one_keeps_only_the_other()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var world = await DashboardWorld.CreateAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var hs = world.Relay.Homeserver;
        hs.Join(world.RoomB, world.Mod);
        hs.SendEvent(world.RoomB, world.A.U("ownerb"), "m.room.power_levels", CaseRoomWorld.Levels(new JsonObject
        {
            [world.A.U("ownerb")] = 100, [world.ModB] = 50, [world.Mod] = 50, [hs.SenderUserId] = 100,
        }), "");
        time.Advance(ModeratorDirectory.RememberFor + TimeSpan.FromSeconds(1));
        using var browser = await world.SignedInAsync(world.Mod);
        Assert.Contains(world.CaseB.Id.Value, await browser.PageAsync("/_relay/cases"));

        hs.SendEvent(world.RoomB, world.A.U("ownerb"), "m.room.power_levels", CaseRoomWorld.Levels(new JsonObject
        {
            [world.A.U("ownerb")] = 100, [world.ModB] = 50, [hs.SenderUserId] = 100,
        }), "");
        time.Advance(ModeratorDirectory.RememberFor + TimeSpan.FromSeconds(1));
        var list = await browser.PageAsync("/_relay/cases");

        Assert.Contains(world.CaseA.Id.Value, list);
        Assert.DoesNotContain(world.CaseB.Id.Value, list);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/_relay/cases/" + world.CaseB.Id.Value)).StatusCode);
    }

    [Fact]
    public async Task A_flood_of_anonymous_sign_in_asks_reads_each_room_at_most_once_per_30_seconds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var world = await DashboardWorld.CreateAsync(
            new Dictionary<string, string?> { ["Relay:Dashboard:SignInPerAddressPerMinute"] = "1000" },
            s => s.AddSingleton<TimeProvider>(time));
        time.Advance(ModeratorDirectory.RememberFor + TimeSpan.FromSeconds(1));
        using var browser = world.NewBrowser();
        var csrf = await browser.CsrfAsync("/_relay/sign-in");
        var before = PowerLevelReads(world).Count;

        for (var i = 0; i < 40; i++)
        {
            await browser.PostFormAsync("/_relay/sign-in", new() { ["matrix_id"] = $"@stranger{i}:elsewhere.example" }, csrf);
        }
        // Asks are handled in order: when the moderator's link arrives, every stranger's ask before it was handled.
        await world.SignInLinkAsync(browser, world.Mod);

        // Each room read once; before, every ask read every room again (800 requests per ask for a 200-room community).
        var reads = PowerLevelReads(world).Skip(before).ToList();
        Assert.Contains(reads, path => path.Contains(world.RoomA, StringComparison.Ordinal));
        Assert.Equal(reads.Distinct().Count(), reads.Count);
    }

    [Fact]
    public async Task Asking_for_one_id_is_limited_per_hour_and_over_it_no_link_is_sent()
    {
        await using var world = await DashboardWorld.CreateAsync(new Dictionary<string, string?>
        {
            ["Relay:Dashboard:SignInPerAddressPerMinute"] = "100",
            ["Relay:Dashboard:SignInPerUserPerHour"] = "2",
        });
        using var browser = world.NewBrowser();
        var csrf = await browser.CsrfAsync("/_relay/sign-in");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await browser.PostFormAsync("/_relay/sign-in", new() { ["matrix_id"] = world.Mod }, csrf)).StatusCode);
        }
        // Handled in order: once room B's moderator has a link, every ask for @mod before it was handled.
        await world.SignInLinkAsync(browser, world.ModB);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s)); // the same answer, so the limit says nothing about the ID
        Assert.Equal(2, (await world.LinksSentToAsync(world.Mod)).Count);
    }

    /// <summary>The paths of the power-level reads so far, oldest first (the path names the room).</summary>
    private static List<string> PowerLevelReads(DashboardWorld world) =>
        [.. world.Relay.Homeserver.Requests
            .Where(r => r.Method == "GET" && r.Path.Contains("/state/m.room.power_levels", StringComparison.Ordinal))
            .Select(r => r.Path)];
}
