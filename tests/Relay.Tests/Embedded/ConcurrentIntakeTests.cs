using Relay.Core;
using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Core.Reports;
using Relay.Sqlite;

namespace Relay.Tests.Embedded;

/// <summary>The CaseIndex and case versions under real contention: one target, many first reports at once.</summary>
public sealed class ConcurrentIntakeTests : IDisposable
{
    private const int Reporters = 8;
    private readonly TempDatabaseFile _file = new();

    [Fact]
    public async Task Concurrent_first_reports_of_one_target_open_exactly_one_case()
    {
        using var database = await SqliteDatabase.OpenAsync(_file.Path);
        var time = TimeProvider.System;
        var store = new SqliteReportStore(database, time);
        var racing = new LockstepFirstReads(store, Reporters);
        // One intake per reporter, as on separate instances: within one intake, reports about one case take turns.
        ReportIntake NewIntake() => new(racing, new ReporterHasher("relay-test-hash-key-0123456789"u8),
            IntakeLimits.PerMinute(100, 100, time), new UlidGenerator(time), time, new CaseGrouping());
        var target = new ReportTarget.Event(RoomId.Parse("!abuse:example.org"), EventId.Parse("$flood:example.org"),
            UserId.Parse("@spammer:evil.example"), "m.room.message");
        // An async gate, not a Barrier: blocking eight pool threads makes the pool grow a thread per half second.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var filing = Enumerable.Range(0, Reporters).Select(i => Task.Run(async () =>
        {
            await start.Task;
            var submission = new ReportSubmission(Reporter.Matrix(UserId.Parse($"@reporter{i}:example.org")), target,
                HarmCategory.Parse("m.spam"), "flooding", ReportSource.ClientEventReport);
            return await FileWithRetriesAsync(NewIntake(), submission);
        })).ToList();
        start.SetResult();
        var outcomes = await Task.WhenAll(filing);

        // All eight read "no case"; one opens it, the other seven must be refused and retried.
        Assert.True(racing.Conflicts >= Reporters - 1, $"only {racing.Conflicts} conflicts");
        var filed = outcomes.Cast<IntakeOutcome.Filed>().ToList();
        Assert.Single(filed, f => f.OpenedCase);
        var @case = Assert.Single(await store.ListCasesAsync(new CaseQuery()));
        Assert.All(filed, f => Assert.Equal(@case.Id, f.Case.Id));
        Assert.Equal((Reporters, Reporters), (@case.ReporterCount, @case.ReportCount));
        Assert.Equal(Reporters, (await store.GetReportsAsync(@case.Id)).Count);
        var audit = await store.GetAuditAsync(@case.Id);
        Assert.Equal(1 + Reporters, audit.Count);
        Assert.Single(audit, a => a.Action == "case.opened");
        Assert.Equal(Reporters, await new SqliteQueue(database, time).CountAsync());
    }

    /// <summary>
    /// ReportIntake retries a lost race five times; eight instances writing one case can lose more often than
    /// that, so the test retries the whole filing (in production such a reporter is answered 503).
    /// </summary>
    private static async Task<IntakeOutcome> FileWithRetriesAsync(ReportIntake intake, ReportSubmission submission)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await intake.FileAsync(submission);
            }
            catch (ConcurrencyConflictException) when (attempt < 10)
            {
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
