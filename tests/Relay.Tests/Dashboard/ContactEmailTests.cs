using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Appservice;
using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Core.Reports;
using Relay.Tests.WebForm;

namespace Relay.Tests.Dashboard;

/// <summary>
/// The web form asks for an e-mail address "only if the moderators may contact you": those moderators see it (case room
/// and dashboard), nobody else does, and it never reaches the audit trail or the logs.
/// </summary>
public sealed class ContactEmailTests
{
    private const string Contact = "reporter@example.org";

    [Fact]
    public async Task A_web_form_reporters_contact_address_is_shown_to_the_cases_moderators_and_nowhere_else()
    {
        await using var world = await DashboardWorld.CreateAsync();
        var relay = world.Relay;
        relay.Secrets.Add("contact e-mail", Contact);
        await relay.App.Services.GetRequiredService<IProtectedRoomStore>()
            .ProtectAsync(RoomId.Parse(world.RoomA), UserId.Parse(world.A.Owner), DateTimeOffset.UtcNow);
        // Another sender than case A's: a second message of the same one would join case A.
        var spam = relay.Message(world.RoomA, world.A.U("member3"), "another scam link");
        var link = $"https://matrix.to/#/{Uri.EscapeDataString(world.RoomA)}/{Uri.EscapeDataString(spam)}?via=example.org";

        using var form = new FormUrlEncodedContent(WebFormSetup.Fields(link, contact: Contact));
        Assert.Equal(HttpStatusCode.OK, (await relay.Client.PostAsync("/report", form)).StatusCode);
        await relay.RunQueueAsync();
        var c = (await relay.Cases.ListCasesAsync(new CaseQuery())).Single(x => x.Target is ReportTarget.Event e && e.EventId.Value == spam);

        var summary = relay.Homeserver.Timeline(c.CaseRoom!.Value.Value)
            .Select(e => (string?)e["content"]?["body"] ?? "").Where(b => b.StartsWith("Report ", StringComparison.Ordinal)).ToList();
        Assert.Contains(summary, b => b.Contains("Reporters who agreed to be contacted by e-mail: " + Contact, StringComparison.Ordinal));
        using var moderator = await world.SignedInAsync(world.Mod);
        Assert.Contains("mailto:reporter%40example.org", await moderator.PageAsync("/_relay/cases/" + c.Id.Value), StringComparison.Ordinal);
        using var otherRoomsModerator = await world.SignedInAsync(world.ModB);
        var refused = await otherRoomsModerator.GetAsync("/_relay/cases/" + c.Id.Value);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.DoesNotContain(Contact, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(await relay.Cases.GetAuditAsync(c.Id), a => (a.Detail ?? "").Contains(Contact, StringComparison.Ordinal));
        // The logs are checked for the address (a registered secret) when the harness is disposed.
    }

    [Fact]
    public async Task A_report_without_a_contact_address_shows_none()
    {
        await using var world = await DashboardWorld.CreateAsync();
        using var moderator = await world.SignedInAsync(world.Mod);

        var page = await moderator.PageAsync("/_relay/cases/" + world.CaseA.Id.Value);

        Assert.DoesNotContain("mailto:", page, StringComparison.Ordinal);
        Assert.DoesNotContain(world.Relay.Homeserver.Timeline(world.CaseA.CaseRoom!.Value.Value),
            e => ((string?)e["content"]?["body"])?.Contains("agreed to be contacted", StringComparison.Ordinal) == true);
    }
}
