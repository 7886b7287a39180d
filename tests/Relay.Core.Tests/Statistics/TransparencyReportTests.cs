using Relay.Core.Cases;
using Relay.Core.Escalation;
using Relay.Core.Reports;
using Relay.Core.Statistics;

namespace Relay.Core.Tests.Statistics;

public sealed class TransparencyReportTests
{
    private static readonly ReportingPeriod Week = new(Histories.At(0), Histories.At(7));

    private readonly Histories _h = new();

    [Fact]
    public void An_empty_period_counts_nothing()
    {
        var report = TransparencyReport.Compute([], Week, Histories.At(8));

        Assert.Equal((0, 0, 0, 0, null, 0),
            (report.NoticesReceived, report.AutomatedDecisions, report.HumanDecisions, report.CasesClosed, report.MedianHandlingTime, report.EscalationsToAuthorities));
        Assert.Empty(report.NoticesByCategory);
        Assert.Empty(report.NoticesBySource);
        Assert.Empty(report.ActionsByKind);
        Assert.Equal((Week, Histories.At(8)), (report.Period, report.GeneratedAt));
    }

    [Fact]
    public void Notices_in_the_period_are_counted_by_their_own_category_and_by_source()
    {
        CaseHistory[] histories =
        [
            _h.Case(0, "m.spam").Report(0).Report(1, ReportSource.Reaction).Report(2, ReportSource.WebForm, "m.spam.fraud").Build(),
            _h.Case(3, null).Report(3, ReportSource.Reaction).Report(9).Build(),
            _h.Case(-3, "m.harassment").Report(-3).Report(4, ReportSource.DirectMessage).Build(),
        ];

        var report = TransparencyReport.Compute(histories, Week, Histories.At(8));

        Assert.Equal(5, report.NoticesReceived);
        Assert.Equal([new NamedCount("m.spam", 2), new NamedCount("m.harassment", 1), new NamedCount("m.spam.fraud", 1), new NamedCount("unspecified", 1)],
            report.NoticesByCategory);
        Assert.Equal([new NamedCount("Reaction", 2), new NamedCount("ClientEventReport", 1), new NamedCount("DirectMessage", 1), new NamedCount("WebForm", 1)],
            report.NoticesBySource);
    }

    [Fact]
    public void Decisions_are_actions_and_climbs_relay_automated_and_people_human_refusals_not_at_all()
    {
        var history = _h.Case(0)
            .Acknowledge(0.1)
            .Action(0.2, "ban")
            .Line(0.3, "@stranger:example.org", "action.rejected", "kick: Open")
            .Line(0.3, "@mod:example.org", "action.failed", "kick: M_FORBIDDEN (403)")
            .Escalate(1, 2)
            .Escalate(2, 3, "operator:root")
            .Close(3, CaseState.Dismissed, "@other-mod:example.org")
            .Action(8, "kick")
            .Build();

        var report = TransparencyReport.Compute([history], Week, Histories.At(8));

        Assert.Equal([new NamedCount("escalate", 2), new NamedCount("ack", 1), new NamedCount("ban", 1), new NamedCount("dismiss", 1)], report.ActionsByKind);
        Assert.Equal((1, 4), (report.AutomatedDecisions, report.HumanDecisions));
    }

    [Fact]
    public void The_median_handling_time_is_over_cases_closed_in_the_period()
    {
        CaseHistory[] histories =
        [
            _h.Case(0).Close(1).Build(),
            _h.Case(0).Close(3, CaseState.Dismissed).Build(),
            _h.Case(-1).Close(1).Build(),
            _h.Case(5).Close(9).Build(),
            _h.Case(6).Build(),
        ];

        var report = TransparencyReport.Compute(histories, Week, Histories.At(10));

        Assert.Equal(3, report.CasesClosed);
        Assert.Equal(TimeSpan.FromDays(2), report.MedianHandlingTime);
    }

    [Fact]
    public void Escalations_to_the_authorities_are_cases_whose_cybertipline_or_authorities_webhook_was_queued_in_the_period()
    {
        CaseHistory[] histories =
        [
            _h.Case(0, "m.child_safety").Escalate(0, 4, AuditEntry.System, ChannelKinds.HostingEmail)
                .Escalate(0, 5, AuditEntry.System, ChannelKinds.Evidence, ChannelKinds.CyberTipline).Build(),
            _h.Case(1).Escalate(2, 5, "operator:root", ChannelKinds.AuthoritiesWebhook).Escalate(3, 5, "operator:root", ChannelKinds.AuthoritiesWebhook).Build(),
            _h.Case(1).Escalate(2, 4, AuditEntry.System, ChannelKinds.HostingWebhook).Build(),
            _h.Case(1).Escalate(2, 5, AuditEntry.System, ChannelKinds.Evidence).Build(),
            _h.Case(-9).Escalate(-8, 5, AuditEntry.System, ChannelKinds.CyberTipline).Build(),
        ];

        Assert.Equal(2, TransparencyReport.Compute(histories, Week, Histories.At(8)).EscalationsToAuthorities);
    }
}
