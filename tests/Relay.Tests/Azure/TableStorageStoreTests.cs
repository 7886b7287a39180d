using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using Relay.Azure.Tables;
using Relay.Core;
using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Core.Queue;
using Relay.Core.Reports;

namespace Relay.Tests.Azure;

/// <summary>
/// What only the Table Storage store has to get right: keys Table Storage forbids, paging, the outbox
/// after a Service Bus outage, and recovery from a commit that died between its steps.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableStorageStoreTests(AzuriteFixture azurite)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private UlidGenerator Ids => new(_time);

    [Fact]
    public async Task Targets_with_characters_Table_Storage_forbids_in_keys_are_stored_and_found()
    {
        var store = await OpenAsync();
        // '#' and '?' are legal in opaque room and event IDs; historical user localparts allow '/' and '\' too.
        var target = new ReportTarget.Event(RoomId.Parse("!a#b?c%d~e:example.org"), EventId.Parse("$x#y?z="),
            UserId.Parse("@a/b\\c#d?e:evil.example"), "m.room.message");
        var first = Commit(null, target, Hash('a'));

        await store.Reports.CommitAsync(first);

        var open = await store.Reports.FindOpenCaseAsync(target.DedupeKey, Hash('b'));
        Assert.Equal(first.Case.Id, open?.Case.Id);
        Assert.Equal(target, open!.Case.Target);
        await store.Reports.CommitAsync(Commit(open, target, Hash('b')));
        Assert.Equal(2, (await store.Cases.GetReportsAsync(first.Case.Id)).Count);
    }

    [Fact]
    public async Task Target_too_long_for_a_key_is_kept_under_its_hash()
    {
        var store = await OpenAsync();
        var target = new ReportTarget.UserTarget(UserId.Parse("@" + new string('/', 200) + ":example.org"));
        Assert.True(TableKey.IsHashed(TableKey.For(target.DedupeKey)));
        var commit = Commit(null, target, Hash('a'));

        await store.Reports.CommitAsync(commit);

        Assert.Equal(target, (await store.Reports.FindOpenCaseAsync(target.DedupeKey, Hash('a')))?.Case.Target);
    }

    [Fact]
    public async Task Listing_pages_through_more_cases_than_one_page()
    {
        var store = await OpenAsync(new TableStorageOptions { TablePrefix = AzuriteFixture.UniquePrefix(), PageSize = 2 });
        var ids = new List<CaseId>();
        for (var i = 0; i < 5; i++)
        {
            var commit = Commit(null, EventTarget(), Hash('a'));
            await store.Reports.CommitAsync(commit);
            ids.Add(commit.Case.Id);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var listed = await store.Cases.ListCasesAsync(new CaseQuery(Limit: 10));

        Assert.Equal(ids.AsEnumerable().Reverse(), listed.Select(c => c.Id));
    }

    [Fact]
    public async Task Outbox_not_sent_during_an_outage_is_resent_by_the_sweep_once_old_enough()
    {
        var store = await OpenAsync();
        store.Queue.Failing = true;
        var commit = Commit(null, EventTarget(), Hash('a'));

        await store.Reports.CommitAsync(commit);

        Assert.NotNull(await store.Cases.GetCaseAsync(commit.Case.Id));
        Assert.Empty(store.Queue.Queued);
        store.Queue.Failing = false;
        Assert.Equal(0, await store.Store.Outbox.SweepAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await store.Store.Outbox.SweepAsync(CancellationToken.None));
        Assert.Equal(commit.Outbox, store.Queue.Queued);
        Assert.Equal(0, await store.Store.Outbox.SweepAsync(CancellationToken.None));
        Assert.Equal(commit.Outbox, store.Queue.Queued);
    }

    [Fact]
    public async Task Sent_outbox_leaves_nothing_for_the_sweep()
    {
        var store = await OpenAsync();
        await store.Reports.CommitAsync(Commit(null, EventTarget(), Hash('a')));
        var attempts = store.Queue.Attempts;
        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, await store.Store.Outbox.SweepAsync(CancellationToken.None));
        Assert.Equal(attempts, store.Queue.Attempts);
        await AssertEmptyAsync(store.Store.Names.Outbox);
    }

    [Fact]
    public async Task Idempotency_claim_of_a_commit_that_died_blocks_the_key_for_the_lease_then_is_taken_over()
    {
        var store = await OpenAsync();
        var died = Commit(null, EventTarget(), Hash('a'), idempotencyKey: "txn-1");
        await ClaimAsIfCrashedAsync(store, died);
        var retry = Commit(null, EventTarget(), Hash('a'), idempotencyKey: "txn-1");

        Assert.Null(await store.Reports.FindReportByIdempotencyKeyAsync("txn-1"));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.Reports.CommitAsync(retry));
        _time.Advance(TimeSpan.FromMinutes(1));
        await store.Reports.CommitAsync(retry);

        Assert.Equal(retry.Report, await store.Reports.FindReportByIdempotencyKeyAsync("txn-1"));
        Assert.Null(await store.Cases.GetCaseAsync(died.Case.Id));
    }

    [Fact]
    public async Task Lost_race_removes_the_rows_written_outside_the_transaction()
    {
        var store = await OpenAsync();
        var target = EventTarget();
        await store.Reports.CommitAsync(Commit(null, target, Hash('a')));
        var loser = Commit(null, target, Hash('b'), idempotencyKey: "txn-2");

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.Reports.CommitAsync(loser));

        await AssertEmptyAsync(store.Store.Names.ReportKeys);
        await AssertEmptyAsync(store.Store.Names.Outbox);
        Assert.Null(await store.Cases.GetCaseAsync(loser.Case.Id));
        var index = azurite.Service.GetTableClient(store.Store.Names.CaseIndex);
        Assert.False((await index.GetEntityIfExistsAsync<TableEntity>(loser.Case.Id.Value, "")).HasValue);
    }

    [Fact]
    public async Task Health_reads_the_account()
    {
        var store = await OpenAsync();

        Assert.True(await store.Health.IsReachableAsync());
        Assert.Equal(("table-storage", "service-bus"), (store.Health.StoreName, store.Health.QueueName));
    }

    private async Task ClaimAsIfCrashedAsync(TableStorageStoreUnderTest store, ReportCommit commit)
    {
        var claims = azurite.Service.GetTableClient(store.Store.Names.ReportKeys);
        await claims.AddEntityAsync(new TableEntity(TableKey.For(commit.Report.IdempotencyKey!), "")
        {
            ["IdempotencyKey"] = commit.Report.IdempotencyKey,
            ["Partition"] = TableKey.For(commit.Case.Target.DedupeKey),
            ["CaseId"] = commit.Case.Id.Value,
            ["ReportId"] = commit.Report.Id,
            ["ClaimedAt"] = _time.GetUtcNow().UtcTicks,
        });
    }

    private async Task AssertEmptyAsync(string table)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in azurite.Service.GetTableClient(table).QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }
        Assert.Empty(rows);
    }

    private Task<TableStorageStoreUnderTest> OpenAsync(TableStorageOptions? options = null) =>
        TableStorageStoreUnderTest.OpenAsync(azurite.Service, _time, options);

    private ReportTarget.Event EventTarget() =>
        new(RoomId.Parse("!abuse:example.org"), EventId.Parse("$" + Ids.Next() + ":example.org"),
            UserId.Parse("@spammer:evil.example"), "m.room.message");

    private static string Hash(char c) => new(c, 32);

    private ReportCommit Commit(OpenCaseSnapshot? open, ReportTarget target, string reporterHash, string? idempotencyKey = null)
    {
        var now = _time.GetUtcNow();
        var change = CaseJoining.Join(open, target, null, CaseId.Parse(Ids.Next()), now);
        var report = new Report(Ids.Next(), change.Case.Id, target, reporterHash, null, null, "spam",
            ReportSource.ClientEventReport, now, idempotencyKey);
        return new ReportCommit(report, change.Case, change.IsNew,
            [new AuditEntry(change.Case.Id, now, AuditEntry.Reporter(reporterHash), "report.filed")],
            [ReportReceived.ToMessage(new ReportReceived(change.Case.Id.Value, report.Id, change.IsNew))]);
    }
}
