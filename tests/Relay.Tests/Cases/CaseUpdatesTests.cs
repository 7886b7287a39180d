using Relay.Core.Cases;
using Relay.Core.Cases.Rooms;
using Relay.Core.Identifiers;
using Relay.Sqlite;
using Relay.Tests.Contracts;
using Relay.Tests.Embedded;

namespace Relay.Tests.Cases;

/// <summary>
/// The read-modify-write every handler uses. A case the caller already holds saves a read on the way from a report to
/// its summary, so it must never cost a lost update when it is stale.
/// </summary>
public sealed class CaseUpdatesTests : IAsyncLifetime, IDisposable
{
    private static readonly RoomId CaseRoom = RoomId.Parse("!case:example.org");

    private readonly TempDatabaseFile _file = new();
    private SqliteDatabase _database = null!;
    private CountingCases _cases = null!;
    private SqliteReportStore _store = null!;
    private Case _opened = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.OpenAsync(_file.Path);
        _store = new SqliteReportStore(_database, TimeProvider.System);
        _cases = new CountingCases(_store);
        var samples = new ReportSamples(TimeProvider.System);
        var commit = samples.Commit(null, samples.EventTarget(), ReportSamples.Hash('a'));
        await _store.CommitAsync(commit);
        _opened = (await _store.GetCaseAsync(commit.Case.Id))!;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _database.Dispose();
        _file.Dispose();
    }

    [Fact]
    public async Task A_case_the_caller_holds_is_written_without_reading_it_again()
    {
        var written = await CaseUpdates.ApplyAsync(_cases, _store, _opened.Id, RecordRoom, CancellationToken.None, known: _opened);

        Assert.Equal(0, _cases.Reads);
        Assert.Equal(CaseRoom, written!.CaseRoom);
        Assert.Equal(CaseRoom, (await _store.GetCaseAsync(_opened.Id))!.CaseRoom);
    }

    [Fact]
    public async Task A_stale_case_is_read_again_and_the_change_decided_on_what_is_stored()
    {
        var acknowledged = await _store.UpdateCaseAsync(_opened with { State = CaseState.Acknowledged }, [], []);

        var written = await CaseUpdates.ApplyAsync(_cases, _store, _opened.Id, RecordRoom, CancellationToken.None, known: _opened);

        Assert.Equal(1, _cases.Reads);
        var stored = (await _store.GetCaseAsync(_opened.Id))!;
        Assert.Equal(CaseState.Acknowledged, stored.State);
        Assert.Equal(CaseRoom, stored.CaseRoom);
        Assert.Equal(stored.ETag, written!.ETag);
        Assert.NotEqual(acknowledged.ETag, stored.ETag);
    }

    [Fact]
    public async Task Without_a_case_in_hand_it_is_read_first()
    {
        await CaseUpdates.ApplyAsync(_cases, _store, _opened.Id, RecordRoom, CancellationToken.None);

        Assert.Equal(1, _cases.Reads);
    }

    private static CaseEdit? RecordRoom(Case current) =>
        current.CaseRoom is not null ? null : new CaseEdit(current with { CaseRoom = CaseRoom }, []);

    private sealed class CountingCases(ICaseStore inner) : ICaseStore
    {
        private int _reads;

        public int Reads => _reads;

        public Task<Case?> GetCaseAsync(CaseId id, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            return inner.GetCaseAsync(id, cancellationToken);
        }

        public Task<IReadOnlyList<Case>> ListCasesAsync(CaseQuery query, CancellationToken cancellationToken = default) =>
            inner.ListCasesAsync(query, cancellationToken);

        public Task<IReadOnlyList<Relay.Core.Reports.Report>> GetReportsAsync(CaseId id, CancellationToken cancellationToken = default) =>
            inner.GetReportsAsync(id, cancellationToken);

        public Task<IReadOnlyList<AuditEntry>> GetAuditAsync(CaseId id, CancellationToken cancellationToken = default) =>
            inner.GetAuditAsync(id, cancellationToken);
    }
}
