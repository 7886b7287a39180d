using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Cases;
using Relay.Core.Escalation;
using Relay.Sqlite;

namespace Relay.Tests.Escalation;

public sealed class ChildSafetyEscalationTests
{
    private const string Body = "something terrible";
    private const string Reason = "graphic description of the image";

    [Fact]
    public async Task A_csam_case_reaches_the_hosting_provider_and_the_authorities_at_once_with_evidence_and_no_content_anywhere()
    {
        await using var world = await EscalationWorld.StartAsync();

        var c = await world.OpenCaseAsync(harm: "m.child_safety.csam", body: Body, reason: Reason);

        Assert.Equal((CaseState.Escalated, 5, (DateTimeOffset?)null), (c.State, c.Tier, c.NextDueAt));
        Assert.Contains("category m.child_safety.csam matches m.child_safety", Assert.Single(await world.AuditAsync(c.Id, "case.escalated")).Detail);

        // Hosting provider (tier 4): mail and webhook.
        var mail = Assert.Single(world.Smtp.Mails);
        Assert.Equal(["abuse@hosting.test"], mail.To);
        Assert.Contains("m.child_safety.csam", mail.Data);
        Assert.Equal(4, (int)Assert.Single(world.Hosting.Received).Json["tier"]!);

        // Authorities (tier 5): webhook, and the CyberTipline report submitted, finished and recorded on the case.
        var authorities = Assert.Single(world.Authorities.Received);
        Assert.Equal((5, true), ((int)authorities.Json["tier"]!, (bool)authorities.Json["child_safety"]!));
        var report = Assert.Single(world.Tipline.Submitted);
        Assert.Equal("Child Pornography (possession, manufacture, and distribution)", report.Root!.Element("incidentSummary")!.Element("incidentType")!.Value);
        var reportId = Assert.Single(world.Tipline.Reports, r => r.Value).Key;
        Assert.Equal("report " + reportId, Assert.Single(await world.AuditAsync(c.Id, "cybertipline.finished")).Detail);
        Assert.Contains(await world.AuditAsync(c.Id, "escalation.delivered"), a => a.Detail == $"cybertipline tier 5: CyberTipline report {reportId}");

        // Evidence: the event JSON as the bot fetched it, its hash, the times.
        var evidence = Assert.Single(await world.Relay.App.Services.GetRequiredService<IEvidenceStore>().GetAsync(c.Id));
        var eventId = ((Relay.Core.Reports.ReportTarget.Event)c.Target).EventId.Value;
        Assert.Equal(eventId, evidence.Item);
        Assert.Contains(Body, evidence.Content);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(evidence.Content))), evidence.Sha256);
        Assert.Equal((EscalationWorld.Start, EscalationWorld.Start.AddDays(365)), (evidence.ReportedAt, evidence.ExpiresAt));
        Assert.Contains(evidence.Sha256, report.ToString());

        // The hosting tier and the authorities, not the tiers between.
        Assert.Empty(await world.AuditAsync(c.Id, "escalation.failed"));
        Assert.DoesNotContain(await world.Relay.Cases.GetAuditAsync(c.Id), a => a.Detail?.StartsWith("homeserver_admins", StringComparison.Ordinal) == true);
        Assert.Equal(0, world.Support.Requests);

        // No content, no reason, no reporter in any room, mail, webhook or report.
        var reporter = world.U("member");
        var everything = world.EverythingTheBotSent().Concat(world.Smtp.Mails.Select(m => m.Data))
            .Concat(world.Hosting.Received.Select(w => w.Raw)).Concat(world.Authorities.Received.Select(w => w.Raw))
            .Append(report.ToString()).ToList();
        Assert.All(everything, sent =>
        {
            Assert.DoesNotContain(Body, sent);
            Assert.DoesNotContain(Reason, sent);
            Assert.DoesNotContain(reporter, sent);
        });
        Assert.Contains(world.BotBodies(c.CaseRoom!.Value.Value), b => b.StartsWith("⬆️ Escalated to tier 5 of 5: the authorities.", StringComparison.Ordinal));
        Assert.DoesNotContain(world.BotBodies(c.CaseRoom!.Value.Value), b => b.Contains(evidence.Sha256, StringComparison.Ordinal));
        Assert.Empty(world.Homeserver.Violations);
    }

    [Fact]
    public async Task A_csam_case_reaches_the_authorities_even_when_its_case_room_cannot_be_created()
    {
        await using var world = await EscalationWorld.StartAsync();
        world.Homeserver.InjectFault(r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal), TestHomeserver.Fault.Status(403), times: 100);

        var filed = await world.ReportAsync(world.Spam(Body), reason: Reason, harm: "m.child_safety.csam");
        await world.RunAsync();

        var c = await world.CaseAsync(filed.Id);
        Assert.Null(c.CaseRoom);
        Assert.Equal((CaseState.Escalated, 5), (c.State, c.Tier));
        Assert.Single(world.Authorities.Received);
        Assert.Single(await world.AuditAsync(c.Id, "case_room.failed"));
    }

    [Fact]
    public async Task A_new_cases_deadline_is_scheduled_even_when_its_case_room_cannot_be_created()
    {
        await using var world = await EscalationWorld.StartAsync();
        world.Homeserver.InjectFault(r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal), TestHomeserver.Fault.Status(403), times: 100);

        var filed = await world.ReportAsync(world.Spam());
        await world.RunAsync();

        var c = await world.CaseAsync(filed.Id);
        Assert.Null(c.CaseRoom);
        Assert.Equal((CaseState.Open, 1), (c.State, c.Tier));
        Assert.NotNull(c.NextDueAt);
        Assert.Single(await world.AuditAsync(c.Id, "escalation.scheduled"));
    }

    [Fact]
    public async Task Every_channel_failure_is_audited_and_retried_until_it_is_delivered()
    {
        await using var world = await EscalationWorld.StartAsync();
        world.Smtp.RejectRecipients(1);
        world.Hosting.FailNext(1);
        world.Authorities.FailNext(2);
        world.Tipline.FailNextSubmits(1);

        var c = await world.OpenCaseAsync(harm: "m.child_safety.grooming", body: Body, reason: Reason);

        var failed = await world.AuditAsync(c.Id, "escalation.failed");
        Assert.Contains(failed, a => a.Detail!.StartsWith("hosting_email tier 4, attempt 1: SMTP server", StringComparison.Ordinal) && a.Detail.Contains("451", StringComparison.Ordinal));
        Assert.Contains(failed, a => a.Detail!.StartsWith("hosting_webhook tier 4, attempt 1: webhook", StringComparison.Ordinal) && a.Detail.Contains("500", StringComparison.Ordinal));
        Assert.Contains(failed, a => a.Detail!.StartsWith("cybertipline tier 5, attempt 1:", StringComparison.Ordinal) && a.Detail.Contains("1000", StringComparison.Ordinal));
        Assert.All(failed, a => Assert.EndsWith("it will be retried", a.Detail));
        Assert.Empty(world.Smtp.Mails);

        await world.AdvanceAsync(TimeSpan.FromSeconds(2));
        await world.AdvanceAsync(TimeSpan.FromSeconds(4));

        Assert.Single(world.Smtp.Mails);
        Assert.Single(world.Hosting.Received);
        Assert.Single(world.Authorities.Received);
        Assert.Single(world.Tipline.Submitted);
        Assert.Equal("Online Enticement of Children for Sexual Acts",
            world.Tipline.Submitted.Single().Root!.Element("incidentSummary")!.Element("incidentType")!.Value);
        var delivered = (await world.AuditAsync(c.Id, "escalation.delivered")).Select(a => a.Detail!.Split(':')[0]).ToList();
        Assert.Equal(["authorities_webhook tier 5", "case_room tier 5", "cybertipline tier 5", "evidence tier 5", "hosting_email tier 4", "hosting_webhook tier 4"],
            delivered.Order(StringComparer.Ordinal));
        Assert.Equal(5, (await world.AuditAsync(c.Id, "escalation.failed")).Count);
    }

    [Fact]
    public async Task A_channel_that_never_succeeds_is_audited_as_given_up_and_dead_lettered_not_lost()
    {
        await using var world = await EscalationWorld.StartAsync(new Dictionary<string, string?> { ["Relay:Queue:MaxDeliveryCount"] = "2" });
        world.Authorities.FailNext(100);

        var c = await world.OpenCaseAsync(harm: "m.child_safety.csam", body: Body, reason: Reason);
        await world.AdvanceAsync(TimeSpan.FromMinutes(1));

        var failed = await world.AuditAsync(c.Id, "escalation.failed");
        Assert.Equal(2, failed.Count(a => a.Detail!.StartsWith("authorities_webhook", StringComparison.Ordinal)));
        Assert.EndsWith("that was the last attempt, the message is dead-lettered", failed[^1].Detail);
        var dead = Assert.Single(await world.Relay.App.Services.GetRequiredService<SqliteQueue>().ListDeadLettersAsync());
        Assert.Equal($"escalation.deliver:{c.Id.Value}:5:authorities_webhook", dead.Message.Id);
    }

    [Fact]
    public async Task A_retry_after_finish_lost_its_answer_finishes_the_same_cybertipline_report_instead_of_filing_twice()
    {
        await using var world = await EscalationWorld.StartAsync();
        world.Tipline.LoseNextFinishAnswers(1);

        var c = await world.OpenCaseAsync(harm: "m.child_safety.csam", body: Body, reason: Reason);
        Assert.Contains(await world.AuditAsync(c.Id, "escalation.failed"), a => a.Detail!.StartsWith("cybertipline tier 5", StringComparison.Ordinal));
        await world.AdvanceAsync(TimeSpan.FromSeconds(2));

        var reportId = Assert.Single(world.Tipline.Reports).Key;
        Assert.Single(world.Tipline.Submitted);
        Assert.Contains(5102, world.Tipline.Answered);
        Assert.Equal("report " + reportId, Assert.Single(await world.AuditAsync(c.Id, "cybertipline.finished")).Detail);
    }
}
