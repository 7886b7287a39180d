using Relay.Core.Cases;
using Relay.Core.Queue;
using Relay.Core.Reports;

namespace Relay.Tests.Contracts;

/// <summary>Optimistic concurrency: every lost race is a <see cref="ConcurrencyConflictException"/> and stores nothing.</summary>
public abstract partial class ReportStoreContract
{
    [Fact]
    public async Task Stale_etag_is_rejected_with_ConcurrencyConflictException()
    {
        await using var store = await CreateStoreAsync();
        var target = Samples.EventTarget();
        await store.Reports.CommitAsync(Samples.Commit(null, target, ReportSamples.Hash('a')));
        var readByB = await store.Reports.FindOpenCaseAsync(target.DedupeKey, ReportSamples.Hash('b'));
        var readByC = await store.Reports.FindOpenCaseAsync(target.DedupeKey, ReportSamples.Hash('c'));
        await store.Reports.CommitAsync(Samples.Commit(readByB, target, ReportSamples.Hash('b')));

        var stale = Samples.Commit(readByC, target, ReportSamples.Hash('c'));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.Reports.CommitAsync(stale));

        var stored = await store.Cases.GetCaseAsync(stale.Case.Id);
        Assert.Equal((2, 2), (stored!.ReporterCount, stored.ReportCount));
    }

    [Fact]
    public async Task Update_without_etag_is_rejected()
    {
        await using var store = await CreateStoreAsync();
        var target = Samples.EventTarget();
        await store.Reports.CommitAsync(Samples.Commit(null, target, ReportSamples.Hash('a')));
        var open = await store.Reports.FindOpenCaseAsync(target.DedupeKey, ReportSamples.Hash('b'));

        var blind = Samples.Commit(open, target, ReportSamples.Hash('b'), adjust: c => c with { ETag = null });

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.Reports.CommitAsync(blind));
    }

    [Fact]
    public async Task Second_new_case_for_same_dedupe_key_is_rejected()
    {
        await using var store = await CreateStoreAsync();
        var target = Samples.EventTarget();
        var first = Samples.Commit(null, target, ReportSamples.Hash('a'));
        var second = Samples.Commit(null, target, ReportSamples.Hash('b'));
        await store.Reports.CommitAsync(first);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.Reports.CommitAsync(second));

        Assert.Equal([first.Case.Id], (await store.Cases.ListCasesAsync(new CaseQuery())).Select(c => c.Id));
        Assert.Equal(first.Case.Id, (await store.Reports.FindOpenCaseAsync(target.DedupeKey, ReportSamples.Hash('b')))!.Case.Id);
    }

    [Fact]
    public async Task Idempotency_key_finds_earlier_report_and_cannot_be_reused()
    {
        await using var store = await CreateStoreAsync();
        var commit = Samples.Commit(null, Samples.EventTarget(), ReportSamples.Hash('a'), idempotencyKey: "txn-key");
        await store.Reports.CommitAsync(commit);

        Assert.Equal(commit.Report, await store.Reports.FindReportByIdempotencyKeyAsync("txn-key"));
        Assert.Null(await store.Reports.FindReportByIdempotencyKeyAsync("other-key"));

        var reuse = Samples.Commit(null, Samples.EventTarget(), ReportSamples.Hash('a'), idempotencyKey: "txn-key");
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.Reports.CommitAsync(reuse));
        Assert.Null(await store.Cases.GetCaseAsync(reuse.Case.Id));
        Assert.Equal(commit.Report, await store.Reports.FindReportByIdempotencyKeyAsync("txn-key"));
    }

    [Fact]
    public async Task Reports_without_idempotency_key_do_not_collide()
    {
        await using var store = await CreateStoreAsync();

        await store.Reports.CommitAsync(Samples.Commit(null, Samples.EventTarget(), ReportSamples.Hash('a')));
        await store.Reports.CommitAsync(Samples.Commit(null, Samples.EventTarget(), ReportSamples.Hash('a')));

        Assert.Equal(2, (await store.Cases.ListCasesAsync(new CaseQuery())).Count);
    }

    [Fact]
    public async Task Failed_commit_stores_nothing()
    {
        await using var store = await CreateStoreAsync();
        var target = Samples.EventTarget();
        var first = Samples.Commit(null, target, ReportSamples.Hash('a'));
        await store.Reports.CommitAsync(first);
        var stale = await store.Reports.FindOpenCaseAsync(target.DedupeKey, ReportSamples.Hash('b'));
        await store.Reports.CommitAsync(Samples.Commit(stale, target, ReportSamples.Hash('b')));
        var caseAfter = await store.Cases.GetCaseAsync(first.Case.Id);
        var reportsAfter = await store.Cases.GetReportsAsync(first.Case.Id);
        var auditAfter = await store.Cases.GetAuditAsync(first.Case.Id);
        var queuedAfter = await store.QueuedAsync();
        var extra = new QueueMessage("extra:" + Samples.NewId(), Topics.CaseDue, "{}");

        var lostJoin = Samples.Commit(stale, target, ReportSamples.Hash('c'), extraOutbox: [extra]);
        var lostOpen = Samples.Commit(null, target, ReportSamples.Hash('d'), extraOutbox: [extra]);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.Reports.CommitAsync(lostJoin));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.Reports.CommitAsync(lostOpen));

        Assert.Equal(caseAfter, await store.Cases.GetCaseAsync(first.Case.Id));
        Assert.Equal(reportsAfter, await store.Cases.GetReportsAsync(first.Case.Id));
        Assert.Equal(auditAfter, await store.Cases.GetAuditAsync(first.Case.Id));
        Assert.Null(await store.Cases.GetCaseAsync(lostOpen.Case.Id));
        Assert.Empty(await store.Cases.GetReportsAsync(lostOpen.Case.Id));
        Assert.Empty(await store.Cases.GetAuditAsync(lostOpen.Case.Id));
        Assert.Equal(queuedAfter, await store.QueuedAsync());
        // The reporter of the lost join must not count as having reported into the case.
        Assert.False((await store.Reports.FindOpenCaseAsync(target.DedupeKey, ReportSamples.Hash('c')))!.ReporterAlreadyCounted);
    }
}
