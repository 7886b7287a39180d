using Microsoft.Extensions.Time.Testing;
using Relay.Core.Cases;
using Relay.Core.Cases.Threshold;
using Relay.Core.Escalation;
using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Tests.Contracts;

/// <summary>
/// What every adapter of <see cref="IEscalationStore"/> and <see cref="IEvidenceStore"/> must do, and that the case
/// store keeps <see cref="Case.NextDueAt"/> (through intake's commit and through <see cref="ICaseWriteStore"/>), since
/// the sweep finds overdue cases by it. Inherit it once per adapter (SQLite, Table Storage) and supply fresh stores.
/// </summary>
public abstract class EscalationStoreContract : IAsyncLifetime
{
    protected EscalationStoreContract()
    {
        Samples = new ReportSamples(Time);
    }

    /// <summary>Starts on an odd tick so a store that rounds deadlines or evidence times is caught.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(7_654_321));

    protected ReportSamples Samples { get; }

    private EscalationStores Stores { get; set; } = null!;

    private DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Fresh, empty stores of the adapter under test on one storage (one object may implement several ports).</summary>
    protected abstract Task<EscalationStores> CreateStoresAsync();

    public async Task InitializeAsync() => Stores = await CreateStoresAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Next_due_at_round_trips_exactly_through_the_commit()
    {
        var due = Now.AddHours(4).AddTicks(3);

        var withDeadline = await OpenAsync(due);
        var without = await OpenAsync(null);

        Assert.Equal(due, withDeadline.NextDueAt);
        Assert.Equal(TimeSpan.Zero, withDeadline.NextDueAt!.Value.Offset);
        Assert.Null(without.NextDueAt);
    }

    [Fact]
    public async Task Next_due_at_is_set_moved_and_cleared_through_case_updates()
    {
        var opened = await OpenAsync(null);
        var due = Now.AddMinutes(30).AddTicks(1);

        var set = await Stores.Writes.UpdateCaseAsync(opened with { NextDueAt = due }, [], []);
        Assert.Equal(due, (await Stores.Cases.GetCaseAsync(opened.Id))!.NextDueAt);

        var moved = await Stores.Writes.UpdateCaseAsync(set with { NextDueAt = due.AddDays(1), Tier = 2 }, [], []);
        Assert.Equal(due.AddDays(1), (await Stores.Cases.GetCaseAsync(opened.Id))!.NextDueAt);

        await Stores.Writes.UpdateCaseAsync(moved with { NextDueAt = null, State = CaseState.Acknowledged }, [], []);
        var cleared = await Stores.Cases.GetCaseAsync(opened.Id);
        Assert.Null(cleared!.NextDueAt);
        Assert.Equal(CaseState.Acknowledged, cleared.State);
    }

    [Fact]
    public async Task Overdue_cases_are_the_open_and_escalated_ones_due_by_now_oldest_due_first()
    {
        var dueLast = await OpenAsync(Now.AddMinutes(-1));
        var dueNow = await OpenAsync(Now);
        var dueFirst = await OpenAsync(Now.AddDays(-2));
        var escalated = await OpenAsync(Now.AddHours(-3), CaseState.Escalated);
        await OpenAsync(Now.AddTicks(1));
        await OpenAsync(null);
        await OpenAsync(Now.AddDays(-3), CaseState.Acknowledged);
        await OpenAsync(Now.AddDays(-3), CaseState.Resolved);
        await OpenAsync(Now.AddDays(-3), CaseState.Dismissed);

        var overdue = await Stores.Escalation.ListOverdueAsync(Now, 100);

        Assert.Equal([dueFirst.Id, escalated.Id, dueLast.Id, dueNow.Id], overdue.Select(c => c.Id));
        Assert.Equal(escalated with { ETag = overdue[1].ETag }, overdue[1]);
    }

    [Fact]
    public async Task Overdue_listing_takes_the_limit_from_the_oldest_due()
    {
        var cases = new List<Case>();
        for (var i = 0; i < 5; i++)
        {
            cases.Add(await OpenAsync(Now.AddMinutes(-10 + i)));
        }

        var overdue = await Stores.Escalation.ListOverdueAsync(Now, 3);

        Assert.Equal(cases.Take(3).Select(c => c.Id), overdue.Select(c => c.Id));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Stores.Escalation.ListOverdueAsync(Now, 0));
    }

    [Fact]
    public async Task A_case_whose_deadline_is_cleared_is_no_longer_overdue()
    {
        var opened = await OpenAsync(Now.AddHours(-1));
        Assert.Single(await Stores.Escalation.ListOverdueAsync(Now, 10));

        await Stores.Writes.UpdateCaseAsync(opened with { NextDueAt = null }, [], []);

        Assert.Empty(await Stores.Escalation.ListOverdueAsync(Now, 10));
    }

    [Fact]
    public async Task Evidence_round_trips_exactly_and_is_kept_per_case()
    {
        var caseId = await StoredCaseAsync();
        var other = await StoredCaseAsync();
        var first = Item(caseId, "$zz-first:example.org", """{"type":"m.room.message","content":{"body":"läuft 🚩"}}""");
        Time.Advance(TimeSpan.FromTicks(123));
        var second = Item(caseId, "$second/with?odd#chars:example.org", "{}");

        // Preserved out of key order: items come back by preservation time.
        Assert.Equal(second, await Stores.Evidence.PreserveAsync(second));
        Assert.Equal(first, await Stores.Evidence.PreserveAsync(first));
        await Stores.Evidence.PreserveAsync(Item(other, "$zz-first:example.org", "{}"));

        Assert.Equal([first, second], await Stores.Evidence.GetAsync(caseId));
        Assert.Empty(await Stores.Evidence.GetAsync(await StoredCaseAsync()));
    }

    [Fact]
    public async Task Evidence_as_large_as_a_matrix_event_is_kept_whole()
    {
        // 65,536 bytes is the largest event a homeserver accepts; a pair straddles where an adapter might split it.
        var content = "{\"body\":\"" + new string('x', 29_990) + "🚩" + new string('y', 35_000) + "\"}";
        var item = Item(await StoredCaseAsync(), "$big:example.org", content);

        await Stores.Evidence.PreserveAsync(item);

        Assert.Equal(content, Assert.Single(await Stores.Evidence.GetAsync(item.CaseId)).Content);
    }

    [Fact]
    public async Task The_first_preservation_stands()
    {
        var caseId = await StoredCaseAsync();
        var first = Item(caseId, "$event:example.org", """{"body":"as first fetched"}""");
        await Stores.Evidence.PreserveAsync(first);
        Time.Advance(TimeSpan.FromMinutes(5));

        var again = await Stores.Evidence.PreserveAsync(Item(caseId, "$event:example.org", """{"body":"edited since"}"""));

        Assert.Equal(first, again);
        Assert.Equal([first], await Stores.Evidence.GetAsync(caseId));
    }

    [Fact]
    public async Task Purging_deletes_only_evidence_whose_retention_ended()
    {
        var caseId = await StoredCaseAsync();
        var expired = Item(caseId, "$expired:example.org", "{}") with { ExpiresAt = Now.AddDays(-1) };
        var endsNow = Item(await StoredCaseAsync(), "$now:example.org", "{}") with { ExpiresAt = Now };
        var kept = Item(caseId, "$kept:example.org", "{}") with { ExpiresAt = Now.AddTicks(1) };
        foreach (var item in new[] { expired, endsNow, kept })
        {
            await Stores.Evidence.PreserveAsync(item);
        }

        Assert.Equal(2, await Stores.Evidence.PurgeExpiredAsync(Now));

        Assert.Equal([kept], await Stores.Evidence.GetAsync(caseId));
        Assert.Empty(await Stores.Evidence.GetAsync(endsNow.CaseId));
        Assert.Equal(0, await Stores.Evidence.PurgeExpiredAsync(Now));
    }

    /// <summary>
    /// The report threshold keeps a hidden event as an evidence item and marks it hidden with an audit line: both read back
    /// exactly as it finds them again on a redelivery and for !restore.
    /// </summary>
    [Fact]
    public async Task A_kept_event_and_its_threshold_mark_read_back_as_the_threshold_rule_finds_them()
    {
        var caseId = await StoredCaseAsync();
        var hidden = EventId.Parse("$hidden:example.org");
        await Stores.Evidence.PreserveAsync(Item(caseId, hidden.Value,
            """{"sender":"@mallory:example.org","origin_server_ts":1765000000000,"content":{"msgtype":"m.text","body":"läuft 🚩 <b>"}}"""));
        await Stores.Writes.AppendAuditAsync([new AuditEntry(caseId, Now, AuditEntry.System, ThresholdRedactions.Redacted,
            $"{hidden} reporters=2 threshold=2")]);

        var audit = await Stores.Cases.GetAuditAsync(caseId);
        Assert.True(ThresholdRedactions.IsHidden(audit, hidden));
        Assert.False(ThresholdRedactions.IsHidden(audit, EventId.Parse("$hidden:example.or")));
        var kept = KeptEvent.From(Assert.Single(await Stores.Evidence.GetAsync(caseId)), RoomId.Parse("!room:example.org"));
        Assert.Equal(new KeptEvent(RoomId.Parse("!room:example.org"), hidden, UserId.Parse("@mallory:example.org"),
            DateTimeOffset.FromUnixTimeMilliseconds(1765000000000), "m.text", "läuft 🚩 <b>"), kept);
    }

    /// <summary>Opens a case through intake's commit with the deadline (and, for other states, updates it), then reads it back.</summary>
    private async Task<Case> OpenAsync(DateTimeOffset? nextDueAt, CaseState state = CaseState.Open)
    {
        var commit = Samples.Commit(null, Samples.EventTarget(), ReportSamples.Hash('a'),
            adjust: c => c with { NextDueAt = nextDueAt, State = state.IsOpen() ? state : CaseState.Open });
        await Stores.Reports.CommitAsync(commit);
        var stored = await Stores.Cases.GetCaseAsync(commit.Case.Id) ?? throw new InvalidOperationException("The commit stored no case.");
        if (stored.State != state)
        {
            await Stores.Writes.UpdateCaseAsync(stored with { State = state }, [], []);
            stored = await Stores.Cases.GetCaseAsync(commit.Case.Id) ?? throw new InvalidOperationException("The update lost the case.");
        }
        return stored;
    }

    /// <summary>Evidence belongs to a stored case (the SQLite store enforces it with a foreign key).</summary>
    private async Task<CaseId> StoredCaseAsync() => (await OpenAsync(null)).Id;

    private EvidenceItem Item(CaseId caseId, string item, string content) =>
        new(caseId, item, content, new string('a', 64), Now.AddDays(-1).AddTicks(11), Now.AddTicks(-5), Now, Now.AddDays(90));
}

/// <summary>The ports <see cref="EscalationStoreContract"/> exercises, all on one storage.</summary>
public sealed record EscalationStores(
    IReportStore Reports,
    ICaseStore Cases,
    ICaseWriteStore Writes,
    IEscalationStore Escalation,
    IEvidenceStore Evidence);
