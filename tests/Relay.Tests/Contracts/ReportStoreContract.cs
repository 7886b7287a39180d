using Microsoft.Extensions.Time.Testing;
using Relay.Core.Cases;
using Relay.Core.Reports;

namespace Relay.Tests.Contracts;

/// <summary>
/// What every adapter of <see cref="IReportStore"/> and <see cref="ICaseStore"/> must do. An adapter's
/// test class inherits this and supplies <see cref="CreateStoreAsync"/>; nothing here knows the backend.
/// Conflicts are in <c>ReportStoreContract.Conflicts.cs</c>, exact storage in <c>.RoundTrip.cs</c>.
/// </summary>
public abstract partial class ReportStoreContract
{
    protected ReportStoreContract()
    {
        Samples = new ReportSamples(Time);
    }

    /// <summary>Starts on an odd tick so a store that rounds times to milliseconds or seconds is caught.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_567));

    protected ReportSamples Samples { get; }

    protected abstract Task<IStoreUnderTest> CreateStoreAsync();

    [Fact]
    public async Task Commit_stores_report_and_new_case_and_audit()
    {
        await using var store = await CreateStoreAsync();
        var target = Samples.EventTarget();
        var commit = Samples.Commit(null, target, ReportSamples.Hash('a'));

        await store.Reports.CommitAsync(commit);

        var stored = await store.Cases.GetCaseAsync(commit.Case.Id);
        Assert.NotNull(stored);
        Assert.NotNull(stored.ETag);
        Assert.Equal(commit.Case, stored with { ETag = null });
        Assert.Equal([commit.Report], await store.Cases.GetReportsAsync(commit.Case.Id));
        Assert.Equal(commit.Audit, await store.Cases.GetAuditAsync(commit.Case.Id));
        var open = await store.Reports.FindOpenCaseAsync(target.DedupeKey, ReportSamples.Hash('a'));
        Assert.NotNull(open);
        Assert.Equal(stored, open.Case);
        Assert.True(open.ReporterAlreadyCounted);
    }

    [Fact]
    public async Task Unknown_target_has_no_open_case()
    {
        await using var store = await CreateStoreAsync();

        Assert.Null(await store.Reports.FindOpenCaseAsync(Samples.EventTarget().DedupeKey, ReportSamples.Hash('a')));
        Assert.Null(await store.Cases.GetCaseAsync(CaseId.Parse(Samples.NewId())));
    }

    [Fact]
    public async Task Second_report_joins_open_case_and_counts_distinct_reporter()
    {
        await using var store = await CreateStoreAsync();
        var target = Samples.EventTarget();
        var first = Samples.Commit(null, target, ReportSamples.Hash('a'));
        await store.Reports.CommitAsync(first);
        Time.Advance(TimeSpan.FromSeconds(3));

        var open = await store.Reports.FindOpenCaseAsync(target.DedupeKey, ReportSamples.Hash('b'));
        Assert.NotNull(open);
        Assert.False(open.ReporterAlreadyCounted);
        var second = Samples.Commit(open, target, ReportSamples.Hash('b'));
        await store.Reports.CommitAsync(second);

        var stored = await store.Cases.GetCaseAsync(first.Case.Id);
        Assert.NotNull(stored);
        Assert.Equal((2, 2), (stored.ReporterCount, stored.ReportCount));
        Assert.Equal(Time.GetUtcNow(), stored.UpdatedAt);
        Assert.NotEqual(open.Case.ETag, stored.ETag);
        Assert.Equal([first.Report, second.Report], await store.Cases.GetReportsAsync(first.Case.Id));
        Assert.Equal([.. first.Audit, .. second.Audit], await store.Cases.GetAuditAsync(first.Case.Id));
    }

    [Fact]
    public async Task Same_reporter_twice_counts_once()
    {
        await using var store = await CreateStoreAsync();
        var target = Samples.EventTarget();
        await store.Reports.CommitAsync(Samples.Commit(null, target, ReportSamples.Hash('a')));

        var again = await store.Reports.FindOpenCaseAsync(target.DedupeKey, ReportSamples.Hash('a'));
        Assert.NotNull(again);
        Assert.True(again.ReporterAlreadyCounted);
        var commit = Samples.Commit(again, target, ReportSamples.Hash('a'));
        await store.Reports.CommitAsync(commit);

        var stored = await store.Cases.GetCaseAsync(commit.Case.Id);
        Assert.Equal((1, 2), (stored!.ReporterCount, stored.ReportCount));
        var other = await store.Reports.FindOpenCaseAsync(target.DedupeKey, ReportSamples.Hash('b'));
        Assert.False(other!.ReporterAlreadyCounted);
    }

    [Fact]
    public async Task Closed_case_is_not_found_as_open()
    {
        await using var store = await CreateStoreAsync();
        var target = Samples.EventTarget();
        var first = Samples.Commit(null, target, ReportSamples.Hash('a'));
        await store.Reports.CommitAsync(first);
        var open = await store.Reports.FindOpenCaseAsync(target.DedupeKey, ReportSamples.Hash('b'));
        await store.Reports.CommitAsync(Samples.Commit(open, target, ReportSamples.Hash('b'),
            adjust: c => c with { State = CaseState.Resolved }));

        Assert.Null(await store.Reports.FindOpenCaseAsync(target.DedupeKey, ReportSamples.Hash('c')));

        var reopened = Samples.Commit(null, target, ReportSamples.Hash('c'));
        await store.Reports.CommitAsync(reopened);
        Assert.NotEqual(first.Case.Id, reopened.Case.Id);
        Assert.Equal(reopened.Case.Id, (await store.Reports.FindOpenCaseAsync(target.DedupeKey, ReportSamples.Hash('c')))!.Case.Id);
        Assert.Equal(CaseState.Resolved, (await store.Cases.GetCaseAsync(first.Case.Id))!.State);
    }

    [Fact]
    public async Task List_cases_newest_first_filtered_by_state()
    {
        await using var store = await CreateStoreAsync();
        var commits = new List<ReportCommit>();
        for (var i = 0; i < 3; i++)
        {
            var commit = Samples.Commit(null, Samples.EventTarget(), ReportSamples.Hash('a'));
            await store.Reports.CommitAsync(commit);
            commits.Add(commit);
            Time.Advance(TimeSpan.FromMinutes(1));
        }
        var middle = commits[1];
        var open = await store.Reports.FindOpenCaseAsync(middle.Case.Target.DedupeKey, ReportSamples.Hash('b'));
        await store.Reports.CommitAsync(Samples.Commit(open, middle.Case.Target, ReportSamples.Hash('b'),
            adjust: c => c with { State = CaseState.Dismissed }));

        var all = await store.Cases.ListCasesAsync(new CaseQuery());
        Assert.Equal([commits[2].Case.Id, commits[1].Case.Id, commits[0].Case.Id], all.Select(c => c.Id));
        var openOnes = await store.Cases.ListCasesAsync(new CaseQuery(CaseState.Open));
        Assert.Equal([commits[2].Case.Id, commits[0].Case.Id], openOnes.Select(c => c.Id));
        var dismissed = await store.Cases.ListCasesAsync(new CaseQuery(CaseState.Dismissed));
        Assert.Equal([commits[1].Case.Id], dismissed.Select(c => c.Id));
        var newest = await store.Cases.ListCasesAsync(new CaseQuery(Limit: 2));
        Assert.Equal([commits[2].Case.Id, commits[1].Case.Id], newest.Select(c => c.Id));
    }

    [Fact]
    public async Task Data_survives_reopen()
    {
        var store = await CreateStoreAsync();
        var target = Samples.EventTarget();
        var commit = Samples.Commit(null, target, ReportSamples.Hash('a'), idempotencyKey: "idem-1");
        await store.Reports.CommitAsync(commit);
        var before = await store.Cases.GetCaseAsync(commit.Case.Id);

        await using var reopened = await store.ReopenAsync();

        Assert.Equal(before, await reopened.Cases.GetCaseAsync(commit.Case.Id));
        Assert.Equal([commit.Report], await reopened.Cases.GetReportsAsync(commit.Case.Id));
        Assert.Equal(commit.Audit, await reopened.Cases.GetAuditAsync(commit.Case.Id));
        Assert.Equal(commit.Report, await reopened.Reports.FindReportByIdempotencyKeyAsync("idem-1"));
        Assert.Equal(before, (await reopened.Reports.FindOpenCaseAsync(target.DedupeKey, ReportSamples.Hash('a')))!.Case);
        Assert.Equal(commit.Outbox, await reopened.QueuedAsync());
    }

    [Fact]
    public async Task Store_is_reachable_and_names_itself()
    {
        await using var store = await CreateStoreAsync();

        Assert.True(await store.Health.IsReachableAsync());
        Assert.False(string.IsNullOrWhiteSpace(store.Health.StoreName));
        Assert.False(string.IsNullOrWhiteSpace(store.Health.QueueName));
    }
}
