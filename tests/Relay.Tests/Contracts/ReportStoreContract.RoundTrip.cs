using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Core.Queue;
using Relay.Core.Reports;

namespace Relay.Tests.Contracts;

/// <summary>Every field comes back exactly as committed, and the outbox is queued with the commit.</summary>
public abstract partial class ReportStoreContract
{
    public static TheoryData<string> TargetKinds => ["event", "room", "invite", "user"];

    [Theory]
    [MemberData(nameof(TargetKinds))]
    public async Task Everything_round_trips_exactly(string kind)
    {
        await using var store = await CreateStoreAsync();
        ReportTarget target = kind switch
        {
            "event" => Samples.EventTarget(),
            "room" => new ReportTarget.RoomTarget(RoomId.Parse("!" + Samples.NewId())),
            "invite" => new ReportTarget.RoomTarget(RoomId.Parse("!" + Samples.NewId() + ":evil.example"), UserId.Parse("@inviter:evil.example")),
            _ => new ReportTarget.UserTarget(UserId.Parse("@" + Samples.NewId().ToLowerInvariant() + ":evil.example")),
        };
        var bare = Samples.Commit(null, target, ReportSamples.Hash('a'), category: null, reporter: null, reason: null);
        await store.Reports.CommitAsync(bare);
        Time.Advance(TimeSpan.FromTicks(7_654_321));
        var open = await store.Reports.FindOpenCaseAsync(target.DedupeKey, ReportSamples.Hash('b'));
        var full = Samples.Commit(open, target, ReportSamples.Hash('b'),
            category: HarmCategory.Parse("org.matrix.msc4456.child_safety.grooming"), idempotencyKey: "key-" + kind,
            reporter: UserId.Parse("@reporter:example.org"), reason: "läuft seit Tagen 🚩\nzweite Zeile",
            adjust: c => c with
            {
                State = CaseState.Escalated,
                Tier = 4,
                CaseRoom = RoomId.Parse("!caseroom:relay.example"),
            });

        await store.Reports.CommitAsync(full);

        var stored = await store.Cases.GetCaseAsync(full.Case.Id);
        Assert.NotNull(stored);
        Assert.Equal(full.Case with { ETag = stored.ETag }, stored);
        Assert.Equal(bare.Case.OpenedAt, stored.OpenedAt);
        Assert.Equal(TimeSpan.Zero, stored.UpdatedAt.Offset);
        Assert.Equal("m.child_safety.grooming", stored.Category?.Id);
        Assert.Equal([bare.Report, full.Report], await store.Cases.GetReportsAsync(full.Case.Id));
        Assert.Equal([.. bare.Audit, .. full.Audit], await store.Cases.GetAuditAsync(full.Case.Id));
        Assert.Equal(full.Report, await store.Reports.FindReportByIdempotencyKeyAsync("key-" + kind));
        Assert.Equal(stored, (await store.Cases.ListCasesAsync(new CaseQuery(CaseState.Escalated))).Single());
    }

    [Fact]
    public async Task Web_form_report_keeps_its_contact_email_and_no_reporter()
    {
        await using var store = await CreateStoreAsync();
        var commit = Samples.Commit(null, Samples.EventTarget(), ReportSamples.Hash('w'));
        commit = commit with
        {
            Report = commit.Report with { Source = ReportSource.WebForm, Reporter = null, ContactEmail = "Reporter@Example.org" },
        };

        await store.Reports.CommitAsync(commit);

        var stored = Assert.Single(await store.Cases.GetReportsAsync(commit.Case.Id));
        Assert.Equal(commit.Report, stored);
        Assert.Null(stored.Reporter);
        Assert.Equal("Reporter@Example.org", stored.ContactEmail);
    }

    [Fact]
    public async Task Audit_detail_may_be_null()
    {
        await using var store = await CreateStoreAsync();
        var commit = Samples.Commit(null, Samples.EventTarget(), ReportSamples.Hash('a'));
        commit = commit with { Audit = [.. commit.Audit, new AuditEntry(commit.Case.Id, Time.GetUtcNow(), "@mod:example.org", "case.acknowledged")] };

        await store.Reports.CommitAsync(commit);

        Assert.Equal(commit.Audit, await store.Cases.GetAuditAsync(commit.Case.Id));
    }

    [Fact]
    public async Task Outbox_messages_are_queued_with_the_commit()
    {
        await using var store = await CreateStoreAsync();
        var due = new QueueMessage("case.due:" + Samples.NewId(), Topics.CaseDue, """{"tier":2}""",
            NotBefore: Time.GetUtcNow().AddMinutes(30).AddTicks(3));
        var commit = Samples.Commit(null, Samples.EventTarget(), ReportSamples.Hash('a'), extraOutbox: [due]);

        await store.Reports.CommitAsync(commit);

        Assert.Equal(commit.Outbox, await store.QueuedAsync());
        var received = ReportReceived.FromMessage(commit.Outbox[0]);
        Assert.Equal(new ReportReceived(commit.Case.Id.Value, commit.Report.Id, true), received);
    }

    [Fact]
    public async Task Outbox_message_with_a_queued_id_is_not_queued_twice()
    {
        await using var store = await CreateStoreAsync();
        var target = Samples.EventTarget();
        var due = new QueueMessage("case.due:fixed", Topics.CaseDue, "first");
        var first = Samples.Commit(null, target, ReportSamples.Hash('a'), extraOutbox: [due]);
        await store.Reports.CommitAsync(first);
        var open = await store.Reports.FindOpenCaseAsync(target.DedupeKey, ReportSamples.Hash('b'));

        var second = Samples.Commit(open, target, ReportSamples.Hash('b'), extraOutbox: [due with { Body = "second" }]);
        await store.Reports.CommitAsync(second);

        var queued = await store.QueuedAsync();
        Assert.Equal([first.Outbox[0], due, second.Outbox[0]], queued);
    }
}
