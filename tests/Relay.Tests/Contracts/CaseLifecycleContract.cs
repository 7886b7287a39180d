using Microsoft.Extensions.Time.Testing;
using Relay.Core.Cases;
using Relay.Core.Escalation;
using Relay.Core.Identifiers;
using Relay.Core.Reports;
using Relay.Core.Retention;
using Relay.Core.Statistics;

namespace Relay.Tests.Contracts;

/// <summary>
/// What every adapter of <see cref="ICaseRetentionStore"/> and <see cref="ICaseActivityStore"/> must do: delete closed cases
/// whole (reports, audit, followers, index) once their retention ends but never an open one, leave evidence to its own
/// retention, erase any case under a tombstone that survives it, and find the cases behind a period's figures.
/// Inherit it once per adapter (SQLite, Table Storage) and supply fresh stores.
/// </summary>
public abstract class CaseLifecycleContract : IAsyncLifetime
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(90);
    private static readonly UserId Follower = UserId.Parse("@reporter:example.org");

    protected CaseLifecycleContract()
    {
        Samples = new ReportSamples(Time);
    }

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero).AddTicks(1_234_567));

    protected ReportSamples Samples { get; }

    private LifecycleStores Stores { get; set; } = null!;

    private DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Fresh, empty stores of the adapter under test on one storage.</summary>
    protected abstract Task<LifecycleStores> CreateStoresAsync();

    public async Task InitializeAsync() => Stores = await CreateStoresAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_case_closed_longer_ago_than_the_retention_goes_with_its_reports_audit_and_followers_but_not_its_evidence()
    {
        var target = Samples.EventTarget();
        var c = await ClosedCaseAsync(target, reports: 2);
        Time.Advance(TimeSpan.FromDays(91));

        Assert.Equal([c.Id], await Stores.Retention.ListClosedBeforeAsync(Now - Retention, 10));
        var deleted = await Stores.Retention.DeleteClosedCaseAsync(c.Id, Now - Retention);

        Assert.Equal(new CaseDeletion(c.Id, 2, deleted!.AuditLines, 0), deleted);
        Assert.True(deleted.AuditLines >= 3);
        Assert.Null(await Stores.Cases.GetCaseAsync(c.Id));
        Assert.Empty(await Stores.Cases.GetReportsAsync(c.Id));
        Assert.Empty(await Stores.Cases.GetAuditAsync(c.Id));
        Assert.Empty(await Stores.Writes.GetFollowersAsync(c.Id));
        Assert.Single(await Stores.Evidence.GetAsync(c.Id));
        Assert.Empty(await Stores.Retention.ListClosedBeforeAsync(Now - Retention, 10));
        Assert.Null(await Stores.Retention.DeleteClosedCaseAsync(c.Id, Now - Retention));
        Assert.Null(await Stores.Retention.FindPurgeAsync(c.Id));
    }

    [Fact]
    public async Task A_case_closed_within_the_retention_stays_whole()
    {
        var c = await ClosedCaseAsync(Samples.EventTarget(), reports: 1);
        Time.Advance(TimeSpan.FromDays(89));

        Assert.Empty(await Stores.Retention.ListClosedBeforeAsync(Now - Retention, 10));
        Assert.Null(await Stores.Retention.DeleteClosedCaseAsync(c.Id, Now - Retention));

        Assert.NotNull(await Stores.Cases.GetCaseAsync(c.Id));
        Assert.Single(await Stores.Cases.GetReportsAsync(c.Id));
        Assert.NotEmpty(await Stores.Cases.GetAuditAsync(c.Id));
    }

    [Theory]
    [InlineData(CaseState.Open)]
    [InlineData(CaseState.Acknowledged)]
    [InlineData(CaseState.Escalated)]
    public async Task An_open_case_is_never_deleted_however_old(CaseState state)
    {
        var c = await OpenCaseAsync(Samples.EventTarget());
        if (state != CaseState.Open)
        {
            await Stores.Writes.UpdateCaseAsync(c with { State = state }, [], []);
        }
        Time.Advance(TimeSpan.FromDays(1000));

        Assert.Empty(await Stores.Retention.ListClosedBeforeAsync(Now, 10));
        Assert.Null(await Stores.Retention.DeleteClosedCaseAsync(c.Id, Now));

        Assert.Equal(state, (await Stores.Cases.GetCaseAsync(c.Id))!.State);
        Assert.Single(await Stores.Cases.GetReportsAsync(c.Id));
    }

    [Fact]
    public async Task Closed_cases_are_listed_oldest_first_up_to_the_limit()
    {
        var oldest = await ClosedCaseAsync(Samples.EventTarget(), reports: 1);
        Time.Advance(TimeSpan.FromDays(100));
        var middle = await ClosedCaseAsync(Samples.EventTarget(), reports: 1);
        Time.Advance(TimeSpan.FromDays(100));
        await ClosedCaseAsync(Samples.EventTarget(), reports: 1);
        Time.Advance(TimeSpan.FromDays(100));

        Assert.Equal([oldest.Id, middle.Id], await Stores.Retention.ListClosedBeforeAsync(Now - Retention, 2));
    }

    [Fact]
    public async Task After_deletion_a_new_report_about_the_same_target_opens_a_new_case()
    {
        var target = Samples.EventTarget();
        var c = await ClosedCaseAsync(target, reports: 1);
        Time.Advance(TimeSpan.FromDays(91));
        await Stores.Retention.DeleteClosedCaseAsync(c.Id, Now - Retention);

        var again = await OpenCaseAsync(target);

        Assert.NotEqual(c.Id, again.Id);
        Assert.Equal(1, again.ReportCount);
    }

    [Fact]
    public async Task Purging_erases_an_open_case_and_its_evidence_under_a_tombstone_that_survives_it()
    {
        var target = Samples.EventTarget();
        var c = await OpenCaseAsync(target, reports: 2);
        await Stores.Writes.AddFollowerAsync(c.Id, Follower, Now);
        await PreserveAsync(c.Id);

        var tombstone = await Stores.Retention.PurgeCaseAsync(new PurgeRecord(c.Id, Now, "operator:alice"));

        Assert.Equal(new PurgeRecord(c.Id, Now, "operator:alice", 2, tombstone!.AuditLines, 1), tombstone);
        Assert.True(tombstone.AuditLines >= 3);
        Assert.Equal(tombstone, await Stores.Retention.FindPurgeAsync(c.Id));
        Assert.Null(await Stores.Cases.GetCaseAsync(c.Id));
        Assert.Empty(await Stores.Cases.GetReportsAsync(c.Id));
        Assert.Empty(await Stores.Cases.GetAuditAsync(c.Id));
        Assert.Empty(await Stores.Writes.GetFollowersAsync(c.Id));
        Assert.Empty(await Stores.Evidence.GetAsync(c.Id));
        Assert.Null(await Stores.Reports.FindOpenCaseAsync(target.DedupeKey, ReportSamples.Hash('a')));
        Assert.NotEqual(c.Id, (await OpenCaseAsync(target)).Id);
    }

    [Fact]
    public async Task Purging_again_returns_the_first_tombstone()
    {
        var c = await OpenCaseAsync(Samples.EventTarget());
        var first = await Stores.Retention.PurgeCaseAsync(new PurgeRecord(c.Id, Now, "operator:alice"));
        Time.Advance(TimeSpan.FromHours(1));

        var again = await Stores.Retention.PurgeCaseAsync(new PurgeRecord(c.Id, Now, "operator:bob"));

        Assert.Equal(first, again);
    }

    [Fact]
    public async Task Purging_an_unknown_case_stores_nothing()
    {
        var id = CaseId.Parse(Samples.NewId());

        Assert.Null(await Stores.Retention.PurgeCaseAsync(new PurgeRecord(id, Now, "operator:alice")));
        Assert.Null(await Stores.Retention.FindPurgeAsync(id));
    }

    [Fact]
    public async Task Purging_erases_evidence_that_outlived_its_case()
    {
        var c = await ClosedCaseAsync(Samples.EventTarget(), reports: 1);
        Time.Advance(TimeSpan.FromDays(91));
        await Stores.Retention.DeleteClosedCaseAsync(c.Id, Now - Retention);

        var tombstone = await Stores.Retention.PurgeCaseAsync(new PurgeRecord(c.Id, Now, "operator:alice"));

        Assert.Equal(new PurgeRecord(c.Id, Now, "operator:alice", 0, 0, 1), tombstone);
        Assert.Empty(await Stores.Evidence.GetAsync(c.Id));
    }

    [Fact]
    public async Task The_active_cases_of_a_period_are_those_opened_before_its_end_and_open_or_changed_in_it()
    {
        var closedBefore = await ClosedCaseAsync(Samples.EventTarget(), reports: 1);
        var openFromBefore = await OpenCaseAsync(Samples.EventTarget());
        Time.Advance(TimeSpan.FromDays(1));
        var period = new ReportingPeriod(Now, Now.AddDays(7));
        var closedDuring = await OpenCaseAsync(Samples.EventTarget());
        Time.Advance(TimeSpan.FromDays(2));
        await Stores.Writes.UpdateCaseAsync(closedDuring with { State = CaseState.Dismissed, UpdatedAt = Now }, [], []);
        Time.Advance(TimeSpan.FromDays(6));
        await OpenCaseAsync(Samples.EventTarget());

        var active = await Stores.Activity.ListActiveCasesAsync(period);

        Assert.Equal(new[] { openFromBefore.Id.Value, closedDuring.Id.Value }.Order(), active.Select(c => c.Id.Value).Order());
        Assert.DoesNotContain(closedBefore.Id, active.Select(c => c.Id));
    }

    private async Task<Case> OpenCaseAsync(ReportTarget target, int reports = 1)
    {
        OpenCaseSnapshot? open = null;
        for (var i = 0; i < reports; i++)
        {
            var hash = ReportSamples.Hash((char)('a' + i));
            await Stores.Reports.CommitAsync(Samples.Commit(open, target, hash, reporter: Follower));
            open = await Stores.Reports.FindOpenCaseAsync(target.DedupeKey, hash);
        }
        return open!.Case;
    }

    /// <summary>A case with reports, a follower and evidence, resolved now (the clock only moves forward: advance it after).</summary>
    private async Task<Case> ClosedCaseAsync(ReportTarget target, int reports)
    {
        var c = await OpenCaseAsync(target, reports);
        await Stores.Writes.AddFollowerAsync(c.Id, Follower, Now);
        await PreserveAsync(c.Id);
        var closed = await Stores.Writes.UpdateCaseAsync(c with { State = CaseState.Resolved, UpdatedAt = Now },
            [new AuditEntry(c.Id, Now, "@mod:example.org", "case.resolved", "Open → Resolved by !resolve")], []);
        return closed;
    }

    /// <summary>Evidence kept a year from now, so only a purge (not its own retention) removes it in these tests.</summary>
    private Task PreserveAsync(CaseId id) => Stores.Evidence.PreserveAsync(
        new EvidenceItem(id, "$evidence:example.org", """{"type":"m.room.message"}""", new string('b', 64), Now, Now, Now, Now.AddDays(365)));
}

/// <summary>The ports <see cref="CaseLifecycleContract"/> exercises, all on one storage.</summary>
public sealed record LifecycleStores(
    IReportStore Reports,
    ICaseStore Cases,
    ICaseWriteStore Writes,
    IEvidenceStore Evidence,
    ICaseRetentionStore Retention,
    ICaseActivityStore Activity);
