using Relay.Core;
using Relay.Core.Cases;
using Relay.Core.Reports;

namespace Relay.Sqlite;

/// <summary>
/// The embedded adapter of the intake and case ports. The read side is in
/// <c>SqliteReportStore.Cases.cs</c>, the all-or-nothing write in <see cref="ReportCommitWriter"/>,
/// group-committed by <see cref="ReportCommitBatcher"/>.
/// </summary>
public sealed partial class SqliteReportStore(SqliteDatabase database, TimeProvider time)
    : IReportStore, ICaseStore, IStoreHealth
{
    private readonly ReportCommitBatcher _commits = new(database);

    public string StoreName => "sqlite";

    public string QueueName => "embedded";

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken = default) =>
        database.PingAsync(cancellationToken);

    private static readonly string FindOpenCaseSql = $"""
        SELECT {Prefixed("c.", CaseRows.Columns)},
               EXISTS (SELECT 1 FROM CaseReporters r WHERE r.CaseId = c.Id AND r.ReporterHash = @ReporterHash)
          FROM CaseIndex i JOIN Cases c ON c.Id = i.CaseId
         WHERE i.DedupeKey = @DedupeKey
        """;

    private const string FindReportByIdempotencyKeySql = $"SELECT {ReportRows.Columns} FROM Reports WHERE IdempotencyKey = @Key";

    public async Task<OpenCaseSnapshot?> FindOpenCaseAsync(string dedupeKey, string reporterHash,
        CancellationToken cancellationToken = default)
    {
        await using var kept = await database.RentReaderAsync(cancellationToken);
        var command = kept.Statements.For(FindOpenCaseSql)
            .With("@DedupeKey", dedupeKey)
            .With("@ReporterHash", reporterHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var found = CaseRows.Read(reader);
        // The index only holds open cases; the state check guards a file edited by hand.
        return found.State.IsOpen() ? new OpenCaseSnapshot(found, reader.GetBoolean(CaseRows.Count)) : null;
    }

    public async Task<Report?> FindReportByIdempotencyKeyAsync(string idempotencyKey,
        CancellationToken cancellationToken = default)
    {
        await using var kept = await database.RentReaderAsync(cancellationToken);
        var command = kept.Statements.For(FindReportByIdempotencyKeySql).With("@Key", idempotencyKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReportRows.Read(reader) : null;
    }

    public async Task CommitAsync(ReportCommit commit, CancellationToken cancellationToken = default)
    {
        await _commits.CommitAsync(commit, time.GetUtcNow(), cancellationToken);
        if (commit.Outbox.Count > 0)
        {
            database.QueueSignal.Pulse();
        }
    }

    private static string Prefixed(string prefix, string columns) =>
        string.Join(", ", columns.Split(", ").Select(column => prefix + column));
}
