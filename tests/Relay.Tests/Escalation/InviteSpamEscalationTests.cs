using System.Text.Json.Nodes;
using Relay.Core.Cases;
using Relay.Core.Reports;
using Relay.Tests.Escalation.Fakes;
using Relay.Tests.Harness;
using Relay.TestHomeserver;

namespace Relay.Tests.Escalation;

public sealed class InviteSpamEscalationTests
{
    [Fact]
    public async Task An_unanswered_invite_spam_case_reaches_the_inviters_server_admins_and_never_the_spam_rooms_people()
    {
        await using var world = await EscalationWorld.StartAsync();
        world.Support.Answer = SupportServer.Good(SupportServer.Contacts(("m.role.security", null, "security@remote.test")));
        var accomplice = world.U("accomplice");
        var spam = world.Homeserver.CreateRoom(world.Spammer, new RoomSetup
        {
            Members = [accomplice],
            PowerLevels = Cases.CaseRoomWorld.Levels(new JsonObject { [world.Spammer] = 100, [accomplice] = 100 }),
        });
        world.Homeserver.SetMembership(spam, world.Spammer, world.U("member"), "invite");
        var token = world.Homeserver.RegisterUser(world.U("member"));
        await MatrixAssert.OkAsync(await world.Relay.PostAsync(RelayHarness.RoomReportPath(spam), token, new { reason = "abuse imagery" }));
        await world.RunAsync();
        var before = world.Homeserver.Timeline(spam).Count;

        await world.AdvanceAsync(TimeSpan.FromHours(1));
        await world.AdvanceAsync(TimeSpan.FromHours(4));

        var c = Assert.Single(await world.Relay.Cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal(world.Spammer, Assert.IsType<ReportTarget.RoomTarget>(c.Target).Inviter?.Value);
        Assert.Equal(3, c.Tier);
        var mail = Assert.Single(world.Smtp.Mails);
        Assert.Equal(["security@remote.test"], mail.To);
        Assert.Contains("sent unwanted room invites (invite spam)", mail.Data);
        Assert.Contains(world.Spammer, mail.Data);
        Assert.Equal(before, world.Homeserver.Timeline(spam).Count);
        Assert.DoesNotContain(accomplice, world.Homeserver.Members(c.CaseRoom!.Value.Value, "invite"));
        Assert.DoesNotContain(world.Spammer, world.Homeserver.Members(c.CaseRoom!.Value.Value, "invite"));
        Assert.DoesNotContain(world.EverythingTheBotSent(), sent => sent.Contains(Uri.EscapeDataString(spam), StringComparison.Ordinal)
            && !sent.Contains("/createRoom", StringComparison.Ordinal));
        Assert.Empty(world.Homeserver.Violations);
    }
}
