using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Core.Queue;
using Relay.Core.Reports;

namespace Relay.Tests.Contracts;

/// <summary>
/// What every adapter of <see cref="ICaseWriteStore"/> must do. Inherit it once per adapter (SQLite,
/// Table Storage) and supply fresh stores; cases are opened through the adapter's own
/// <see cref="IReportStore"/>, the way intake opens them.
/// </summary>
public abstract class CaseStoreWriteContract : IAsyncLifetime
{
    protected static readonly RoomId Room = RoomId.Parse("!community:contract.test");
    protected static readonly RoomId CaseRoom = RoomId.Parse("!caseroom:contract.test");
    protected static readonly UserId Spammer = UserId.Parse("@spammer:evil.test");
    protected static readonly DateTimeOffset Now = new(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);

    private int _sequence;

    protected IReportStore Reports { get; private set; } = null!;

    protected ICaseStore Cases { get; private set; } = null!;

    protected ICaseWriteStore Writes { get; private set; } = null!;

    /// <summary>Fresh, empty stores of the adapter under test (one object may implement all three ports).</summary>
    protected abstract Task<(IReportStore Reports, ICaseStore Cases, ICaseWriteStore Writes)> CreateStoresAsync();

    /// <summary>The ids of the messages the adapter queued, in any order.</summary>
    protected abstract Task<IReadOnlyList<string>> QueuedMessageIdsAsync();

    public async Task InitializeAsync() => (Reports, Cases, Writes) = await CreateStoresAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Update_stores_the_case_room_and_summary_and_returns_a_new_etag()
    {
        var opened = await OpenCaseAsync();
        var summary = EventId.Parse("$summary:contract.test");

        var updated = await Writes.UpdateCaseAsync(
            opened with { CaseRoom = CaseRoom, SummaryEvent = summary, SummaryRevision = 1, UpdatedAt = Now.AddMinutes(1) },
            [Audit(opened.Id, "case_room.created")], []);

        Assert.NotEqual(opened.ETag, updated.ETag);
        var read = await Cases.GetCaseAsync(opened.Id);
        Assert.NotNull(read);
        Assert.Equal(CaseRoom, read.CaseRoom);
        Assert.Equal(summary, read.SummaryEvent);
        Assert.Equal(1, read.SummaryRevision);
        Assert.Equal(updated.ETag, read.ETag);
        Assert.Contains(await Cases.GetAuditAsync(opened.Id), a => a.Action == "case_room.created");
    }

    [Fact]
    public async Task Update_with_a_stale_etag_conflicts_and_writes_nothing()
    {
        var opened = await OpenCaseAsync();
        await Writes.UpdateCaseAsync(opened with { State = CaseState.Acknowledged }, [], []);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Writes.UpdateCaseAsync(
            opened with { State = CaseState.Dismissed }, [Audit(opened.Id, "case.dismissed")],
            [new QueueMessage("stale:" + opened.Id, "test.topic", "{}")]));

        var read = await Cases.GetCaseAsync(opened.Id);
        Assert.Equal(CaseState.Acknowledged, read!.State);
        Assert.DoesNotContain(await Cases.GetAuditAsync(opened.Id), a => a.Action == "case.dismissed");
        Assert.DoesNotContain("stale:" + opened.Id, await QueuedMessageIdsAsync());
    }

    [Fact]
    public async Task Update_without_an_etag_conflicts()
    {
        var opened = await OpenCaseAsync();

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Writes.UpdateCaseAsync(opened with { ETag = null, State = CaseState.Resolved }, [], []));
    }

    [Fact]
    public async Task Update_queues_its_outbox_with_the_write()
    {
        var opened = await OpenCaseAsync();

        await Writes.UpdateCaseAsync(opened with { State = CaseState.Resolved },
            [Audit(opened.Id, "case.resolved")], [new QueueMessage("notify:" + opened.Id, "test.topic", "{}")]);

        Assert.Contains("notify:" + opened.Id, await QueuedMessageIdsAsync());
    }

    [Fact]
    public async Task Closing_a_case_lets_the_next_report_open_a_new_case()
    {
        var opened = await OpenCaseAsync();

        await Writes.UpdateCaseAsync(opened with { State = CaseState.Dismissed }, [], []);

        Assert.Null(await Reports.FindOpenCaseAsync(opened.Target.DedupeKey, "someone"));
    }

    [Fact]
    public async Task A_case_gathered_into_an_incident_keeps_the_incident_room_and_has_no_case_room()
    {
        var opened = await OpenCaseAsync();
        var incident = RoomId.Parse("!incident:contract.test");

        await Writes.UpdateCaseAsync(opened with { Incident = incident, UpdatedAt = Now.AddMinutes(1) }, [Audit(opened.Id, "case_room.gathered")], []);

        var read = await Cases.GetCaseAsync(opened.Id);
        Assert.Equal(incident, read!.Incident);
        Assert.True(read.IsGathered);
        Assert.Null(read.CaseRoom);
        Assert.Equal(incident, Assert.Single(await Cases.ListCasesAsync(new CaseQuery { Rooms = [Room] }), c => c.Id == opened.Id).Incident);
        Assert.Equal(incident, (await Reports.FindOpenCaseAsync(opened.DedupeKey, "someone"))!.Case.Incident);
    }

    [Fact]
    public async Task Updating_an_offender_case_keeps_its_group_key_and_closing_it_frees_the_key()
    {
        var key = new CaseGrouping(OffenderScope.Community).KeyFor(
            new ReportTarget.Event(Room, EventId.Parse("$any:contract.test"), Spammer, "m.room.message"));
        var opened = await OpenCaseAsync(key);
        Assert.Equal(key, opened.GroupKey);

        var updated = await Writes.UpdateCaseAsync(opened with { CaseRoom = CaseRoom, UpdatedAt = Now.AddMinutes(1) }, [], []);
        Assert.Equal(key, (await Cases.GetCaseAsync(opened.Id))!.DedupeKey);
        Assert.Equal(opened.Id, (await Reports.FindOpenCaseAsync(key, "someone"))!.Case.Id);

        await Writes.UpdateCaseAsync(updated with { State = CaseState.Dismissed }, [], []);
        Assert.Null(await Reports.FindOpenCaseAsync(key, "someone"));
    }

    [Fact]
    public async Task One_room_cannot_be_the_case_room_of_two_cases()
    {
        var first = await OpenCaseAsync();
        var second = await OpenCaseAsync();
        await Writes.UpdateCaseAsync(first with { CaseRoom = CaseRoom }, [], []);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Writes.UpdateCaseAsync(second with { CaseRoom = CaseRoom }, [], []));
    }

    [Fact]
    public async Task A_case_is_found_by_its_case_room()
    {
        var opened = await OpenCaseAsync();
        await Writes.UpdateCaseAsync(opened with { CaseRoom = CaseRoom }, [], []);

        var found = await Writes.FindCaseByRoomAsync(CaseRoom);

        Assert.Equal(opened.Id, found?.Id);
        Assert.Null(await Writes.FindCaseByRoomAsync(RoomId.Parse("!other:contract.test")));
    }

    [Fact]
    public async Task Open_cases_with_rooms_are_listed_by_reported_room_and_closed_ones_are_not()
    {
        var withRoom = await OpenCaseAsync();
        var withoutRoom = await OpenCaseAsync();
        var closed = await OpenCaseAsync();
        await Writes.UpdateCaseAsync(withRoom with { CaseRoom = CaseRoom }, [], []);
        await Writes.UpdateCaseAsync(closed with { CaseRoom = RoomId.Parse("!closed:contract.test"), State = CaseState.Resolved }, [], []);

        var listed = await Writes.ListOpenCasesWithRoomsAsync(Room);

        Assert.Equal([withRoom.Id], listed.Select(c => c.Id));
        Assert.DoesNotContain(listed, c => c.Id == withoutRoom.Id);
        Assert.Empty(await Writes.ListOpenCasesWithRoomsAsync(RoomId.Parse("!elsewhere:contract.test")));
    }

    [Fact]
    public async Task Audit_lines_append_without_touching_the_case()
    {
        var opened = await OpenCaseAsync();

        await Writes.AppendAuditAsync([Audit(opened.Id, "action.refused"), Audit(opened.Id, "action.refused.again")]);

        var audit = await Cases.GetAuditAsync(opened.Id);
        Assert.Equal(["action.refused", "action.refused.again"], audit.Select(a => a.Action).Where(a => a.StartsWith("action.", StringComparison.Ordinal)));
        Assert.Equal(opened.ETag, (await Cases.GetCaseAsync(opened.Id))!.ETag);
    }

    [Fact]
    public async Task Followers_are_recorded_once_in_opt_in_order()
    {
        var opened = await OpenCaseAsync();
        var alice = UserId.Parse("@alice:contract.test");
        var bob = UserId.Parse("@bob:contract.test");

        await Writes.AddFollowerAsync(opened.Id, bob, Now);
        await Writes.AddFollowerAsync(opened.Id, alice, Now.AddSeconds(1));
        await Writes.AddFollowerAsync(opened.Id, bob, Now.AddSeconds(2));

        Assert.Equal([bob, alice], await Writes.GetFollowersAsync(opened.Id));
    }

    /// <summary>Opens a case about a fresh event in <see cref="Room"/> through intake's port, and reads it back.</summary>
    protected async Task<Case> OpenCaseAsync(string? groupKey = null)
    {
        var n = Interlocked.Increment(ref _sequence);
        var caseId = CaseId.Parse($"01J0000000000000000000{n:D4}");
        var target = new ReportTarget.Event(Room, EventId.Parse($"$event{n}:contract.test"), Spammer, "m.room.message");
        var opened = new Case(caseId, target, CaseState.Open, 1, null, 1, 1, Now, Now, GroupKey: groupKey);
        var report = new Report($"01J00000000000000000R0{n:D4}", caseId, target, "hash" + n, null, null, null,
            ReportSource.ClientEventReport, Now, null);
        await Reports.CommitAsync(new ReportCommit(report, opened, true, [Audit(caseId, "case.opened")], []));
        return (await Cases.GetCaseAsync(caseId))!;
    }

    protected static AuditEntry Audit(CaseId id, string action) => new(id, Now, AuditEntry.System, action);
}
