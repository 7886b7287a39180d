using System.Diagnostics;
using Relay.Core;
using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Core.Queue;
using Relay.Core.Reports;
using Relay.Sqlite;

namespace Relay.Benchmarks.Figures;

/// <summary>
/// Figure 6: report + case commits per second (the store's whole part of one report: case, case index,
/// reporter, report, audit, outbox) on each store, against a bare single-row insert on the same store.
/// Both run with the same number of concurrent writers, as requests arrive concurrently in production.
/// </summary>
public static partial class StoreWrites
{
    public const string Name = "Store: report + case commits";

    private const string Target = "none set (informational)";

    public const int Writers = 16;

    public static async Task<FigureResult> SqliteAsync(BenchmarkMode mode)
    {
        var work = Directory.CreateTempSubdirectory("relay-store-").FullName;
        try
        {
            using var database = await SqliteDatabase.OpenAsync(Path.Combine(work, "relay.db"));
            await using (var connection = await database.OpenConnectionAsync())
            await using (var create = connection.CreateCommand())
            {
                create.CommandText = "CREATE TABLE BareRows (Id TEXT PRIMARY KEY, Value TEXT NOT NULL)";
                await create.ExecuteNonQueryAsync();
            }
            var store = new SqliteReportStore(database, TimeProvider.System);
            var samples = new CommitSamples();
            // Warm-up of both paths (JIT, pool, WAL file).
            await RunAsync(50, i => BareInsertAsync(database, "w" + i));
            await RunAsync(50, _ => store.CommitAsync(samples.NewCase()));
            var bare = await RunAsync(mode.StoreWrites, i => BareInsertAsync(database, "r" + i));
            var commits = await RunAsync(mode.StoreWrites, _ => store.CommitAsync(samples.NewCase()));
            return Result("SQLite", commits, bare);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    internal static FigureResult Result(string store, double commitsPerSecond, double barePerSecond) =>
        new(6, $"{Name} ({store}, {Writers} writers)", FigureResult.Rate(commitsPerSecond, "commits/s"),
            FigureResult.Rate(barePerSecond, "single-row inserts/s"), commitsPerSecond / barePerSecond, Target, null);

    private static async Task BareInsertAsync(SqliteDatabase database, string id)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO BareRows (Id, Value) VALUES (@Id, 'x')";
        insert.Parameters.AddWithValue("@Id", id);
        await insert.ExecuteNonQueryAsync();
    }

    /// <summary>Writes per second with <see cref="Writers"/> concurrent writers; bounded in count and time.</summary>
    internal static async Task<double> RunAsync(int count, Func<int, Task> write)
    {
        var next = -1;
        var done = 0;
        var limit = Stopwatch.GetTimestamp() + (long)(Benchmarks.Figures.BenchmarkMode.LoadTimeLimit.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count && Stopwatch.GetTimestamp() < limit)
            {
                await write(i);
                Interlocked.Increment(ref done);
            }
        }));
        await Task.WhenAll(workers);
        return done / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>Commits as ReportIntake builds them for a first report: a new case each time.</summary>
    internal sealed class CommitSamples
    {
        private static readonly RoomId Room = RoomId.Parse("!lounge:example.org");
        private static readonly UserId Offender = UserId.Parse("@spammer:evil.example");
        private readonly UlidGenerator _ids = new(TimeProvider.System);

        public ReportCommit NewCase()
        {
            var now = DateTimeOffset.UtcNow;
            var target = new ReportTarget.Event(Room, EventId.Parse("$" + _ids.Next() + ":example.org"), Offender, "m.room.message");
            var change = CaseJoining.Join(null, target, null, CaseId.Parse(_ids.Next()), now);
            var hash = new string('a', 32);
            var report = new Report(_ids.Next(), change.Case.Id, target, hash, null, null, "spam", ReportSource.ClientEventReport, now, null);
            return new ReportCommit(report, change.Case, true,
            [
                new AuditEntry(change.Case.Id, now, AuditEntry.System, "case.opened", "target=event"),
                new AuditEntry(change.Case.Id, now, AuditEntry.Reporter(hash), "report.filed", $"report={report.Id}"),
            ],
            [ReportReceived.ToMessage(new ReportReceived(change.Case.Id.Value, report.Id, true))]);
        }
    }
}
