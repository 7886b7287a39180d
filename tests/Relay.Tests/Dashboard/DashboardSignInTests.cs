using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Relay.Tests.Dashboard;

/// <summary>Signing in by a DM link, sessions, CSRF and the security headers, over real HTTP.</summary>
public sealed class DashboardSignInTests
{
    [Fact]
    public async Task A_sign_in_link_works_once()
    {
        await using var world = await DashboardWorld.CreateAsync();
        using var first = world.NewBrowser();
        var link = await world.SignInLinkAsync(first, world.Mod);

        Assert.Equal(HttpStatusCode.Redirect, (await first.RedeemAsync(link)).StatusCode);
        using var second = world.NewBrowser();
        var reused = await second.RedeemAsync(link);

        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Contains("not valid", await reused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/_relay/cases")).StatusCode);
    }

    [Fact]
    public async Task An_expired_sign_in_link_is_refused()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var world = await DashboardWorld.CreateAsync(services: s => s.AddSingleton<TimeProvider>(time));
        using var browser = world.NewBrowser();
        var link = await world.SignInLinkAsync(browser, world.Mod);

        time.Advance(TimeSpan.FromMinutes(10));
        var redeemed = await browser.RedeemAsync(link);

        Assert.Equal(HttpStatusCode.BadRequest, redeemed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/_relay/cases")).StatusCode);
    }

    [Fact]
    public async Task Opening_a_link_does_not_use_it_up_so_link_previews_cannot()
    {
        await using var world = await DashboardWorld.CreateAsync();
        using var preview = world.NewBrowser();
        var link = await world.SignInLinkAsync(preview, world.Mod);

        await preview.PageAsync(new Uri(link).AbsolutePath);
        await preview.PageAsync(new Uri(link).AbsolutePath);
        using var moderator = world.NewBrowser();

        Assert.Equal(HttpStatusCode.Redirect, (await moderator.RedeemAsync(link)).StatusCode);
    }

    [Fact]
    public async Task Someone_who_moderates_nothing_gets_the_same_answer_and_no_link()
    {
        await using var world = await DashboardWorld.CreateAsync();
        using var browser = world.NewBrowser();
        var nobody = world.A.U("nobody");

        var asNobody = await browser.PostFormAsync("/_relay/sign-in", new() { ["matrix_id"] = nobody }, await browser.CsrfAsync("/_relay/sign-in"));
        var asModerator = await browser.PostFormAsync("/_relay/sign-in", new() { ["matrix_id"] = world.Mod }, await browser.CsrfAsync("/_relay/sign-in"));

        Assert.Equal(HttpStatusCode.OK, asNobody.StatusCode);
        Assert.Equal((await asModerator.Content.ReadAsStringAsync()).Replace(world.Mod, "ID", StringComparison.Ordinal),
            (await asNobody.Content.ReadAsStringAsync()).Replace(nobody, "ID", StringComparison.Ordinal));
        await world.Relay.RunQueueUntilAsync(async () => (await world.LinksSentToAsync(world.Mod)).Count == 1);
        Assert.Empty(await world.LinksSentToAsync(nobody));
    }

    [Fact]
    public async Task Not_a_matrix_id_is_told_so()
    {
        await using var world = await DashboardWorld.CreateAsync();
        using var browser = world.NewBrowser();

        var answer = await browser.PostFormAsync("/_relay/sign-in", new() { ["matrix_id"] = "mod" }, await browser.CsrfAsync("/_relay/sign-in"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("not a Matrix ID", await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Asking_for_links_is_rate_limited_per_address()
    {
        await using var world = await DashboardWorld.CreateAsync(new Dictionary<string, string?> { ["Relay:Dashboard:SignInPerAddressPerMinute"] = "2" });
        using var browser = world.NewBrowser();
        var csrf = await browser.CsrfAsync("/_relay/sign-in");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await browser.PostFormAsync("/_relay/sign-in", new() { ["matrix_id"] = world.A.U("nobody") }, csrf)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Every_post_needs_its_csrf_token()
    {
        await using var world = await DashboardWorld.CreateAsync();
        using var browser = await world.SignedInAsync(world.Mod);
        var link = await world.SignInLinkAsync(world.NewBrowser(), world.Mod);
        var forged = new string('A', 43);

        var signIn = await browser.PostFormAsync("/_relay/sign-in", new() { ["matrix_id"] = world.Mod }, null);
        var redeem = await browser.PostFormAsync("/_relay/link", new() { ["token"] = new Uri(link).Segments[^1] }, forged);
        var act = await browser.PostFormAsync($"/_relay/cases/{world.CaseA.Id.Value}/act",
            new() { ["action"] = "ack", ["request"] = new string('c', 32) }, null);
        var signOut = await browser.PostFormAsync("/_relay/sign-out", [], forged);

        Assert.All(new[] { signIn, redeem, act, signOut }, r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Equal(Relay.Core.Cases.CaseState.Open, (await world.CaseAsync(world.CaseA.Id))!.State);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/_relay/cases")).StatusCode);
        // The link survived the forged redemption.
        Assert.Equal(HttpStatusCode.Redirect, (await world.NewBrowser().RedeemAsync(link)).StatusCode);
    }

    [Fact]
    public async Task Posts_that_are_not_a_short_browser_form_are_refused_with_a_page_and_change_nothing()
    {
        await using var world = await DashboardWorld.CreateAsync();
        using var browser = await world.SignedInAsync(world.Mod);
        var csrf = await browser.CsrfAsync("/_relay/cases");
        var act = $"/_relay/cases/{world.CaseA.Id.Value}/act";
        var auditBefore = (await world.AuditAsync(world.CaseA.Id)).Count;
        var form = "application/x-www-form-urlencoded";
        var utf8 = System.Text.Encoding.UTF8;

        var answers = new[]
        {
            (await browser.PostRawAsync(act, utf8.GetBytes($$"""{"csrf":"{{csrf}}","action":"ack"}"""), "application/json"), 415),
            (await browser.PostRawAsync(act, utf8.GetBytes($"csrf={csrf}&action=ack"), null), 415),
            (await browser.PostRawAsync(act, utf8.GetBytes($"csrf={csrf}&action=ack&note=" + new string('a', 20 * 1024)), form), 413),
            (await browser.PostRawAsync(act, [.. utf8.GetBytes($"csrf={csrf}&action="), 0xFF, 0xFE], form), 400),
            (await browser.PostRawAsync("/_relay/sign-in", utf8.GetBytes($$"""{"matrix_id":"{{world.Mod}}"}"""), "application/json"), 415),
            (await browser.PostRawAsync("/_relay/link", utf8.GetBytes("token=x"), "text/plain"), 415),
            (await browser.PostRawAsync("/_relay/sign-out", new byte[5 * 1024 * 1024], form), 413),
        };

        Assert.All(answers, a => Assert.Equal(a.Item2, (int)a.Item1.StatusCode));
        Assert.All(answers, a => Assert.Equal("text/html; charset=utf-8", a.Item1.Content.Headers.ContentType?.ToString()));
        Assert.Equal(Relay.Core.Cases.CaseState.Open, (await world.CaseAsync(world.CaseA.Id))!.State);
        Assert.Equal(auditBefore, (await world.AuditAsync(world.CaseA.Id)).Count);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/_relay/cases")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_even_for_a_copied_cookie()
    {
        await using var world = await DashboardWorld.CreateAsync();
        using var browser = await world.SignedInAsync(world.Mod);
        var token = browser.SessionToken;

        var signedOut = await browser.PostFormAsync("/_relay/sign-out", [], await browser.CsrfAsync("/_relay/cases"));

        Assert.Equal(HttpStatusCode.OK, signedOut.StatusCode);
        Assert.Equal("/_relay/sign-in", (await browser.GetAsync("/_relay/cases")).Headers.Location?.OriginalString);
        using var copy = world.NewBrowser();
        copy.SetSessionCookie(token);
        Assert.Equal(HttpStatusCode.Redirect, (await copy.GetAsync("/_relay/cases")).StatusCode);
    }

    [Fact]
    public async Task The_session_cookie_is_http_only_same_site_strict_and_scoped_to_the_dashboard()
    {
        await using var world = await DashboardWorld.CreateAsync();
        using var browser = world.NewBrowser();
        var link = await world.SignInLinkAsync(browser, world.Mod);

        var redeemed = await browser.RedeemAsync(link);

        var cookie = Assert.Single(redeemed.Headers.GetValues("Set-Cookie"), c => c.StartsWith("relay_session=", StringComparison.Ordinal));
        world.Relay.Secrets.Add("session token", cookie["relay_session=".Length..cookie.IndexOf(';')]);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/_relay/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Cookies_are_secure_when_moderators_reach_relay_over_https()
    {
        await using var world = await DashboardWorld.CreateAsync(new Dictionary<string, string?>
        {
            ["Relay:Dashboard:PublicBaseUrl"] = "https://relay.example.org",
        });
        using var browser = world.NewBrowser();

        var page = await browser.GetAsync("/_relay/sign-in");

        var cookie = Assert.Single(page.Headers.GetValues("Set-Cookie"));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Pages_forbid_other_origins_scripts_framing_and_referrers()
    {
        await using var world = await DashboardWorld.CreateAsync();
        using var browser = await world.SignedInAsync(world.Mod);

        foreach (var path in new[] { "/_relay/sign-in", "/_relay/cases", "/_relay/cases/" + world.CaseA.Id.Value, "/_relay/figures" })
        {
            var response = await browser.GetAsync(path);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.StartsWith("default-src 'none'; style-src 'self'; img-src 'self';", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Contains("form-action 'self'", csp);
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("<style", html);
            Assert.DoesNotContain(" style=", html);
            Assert.DoesNotContain("<script>", html);
        }
    }

    [Fact]
    public async Task Without_a_session_every_page_sends_the_browser_to_sign_in()
    {
        await using var world = await DashboardWorld.CreateAsync();
        using var browser = world.NewBrowser();

        foreach (var path in new[] { "/_relay/", "/_relay/cases", "/_relay/cases/" + world.CaseA.Id.Value, "/_relay/figures" })
        {
            Assert.Equal("/_relay/sign-in", (await browser.GetAsync(path)).Headers.Location?.OriginalString);
        }
    }
}
