using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Relay.Reliability.Support;

/// <summary>
/// Counts, from the store and the homeserver together, whether every stored report reached a case room and
/// whether anything was created twice: case rooms (rooms of MSC4226's report type) and the bot's messages in them.
/// </summary>
public sealed record CaseRoomCensus(
    long Reports,
    long ReportsInCaseRooms,
    long Cases,
    long CasesWithRooms,
    long ReportRooms,
    long DuplicateRooms,
    long DuplicateMessages,
    long CaseRoomsMissing,
    long QueueLeft,
    long DeadLetters)
{
    public const string ReportRoomType = "org.matrix.msc4226.report";

    public bool Settled => ReportsInCaseRooms == Reports && QueueLeft == 0;

    public static async Task<CaseRoomCensus> TakeAsync(string dataPath, TestHomeserver.TestHomeserver homeserver)
    {
        var rooms = new Dictionary<string, (long Reporters, bool Summarised)>(StringComparer.Ordinal);
        long reports, inRooms, cases, queue, dead;
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = dataPath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString()))
        {
            await connection.OpenAsync();
            reports = await ScalarAsync(connection, "SELECT count(*) FROM Reports");
            inRooms = await ScalarAsync(connection, """
                SELECT count(*) FROM Reports r JOIN Cases c ON c.Id = r.CaseId
                 WHERE c.CaseRoom IS NOT NULL AND c.SummaryEvent IS NOT NULL AND c.SummaryRevision >= c.ReporterCount
                """);
            cases = await ScalarAsync(connection, "SELECT count(*) FROM Cases");
            // Escalation deadlines (case.due) wait in the queue by design until their time; everything else is work left.
            queue = await ScalarAsync(connection, "SELECT count(*) FROM Queue WHERE Topic <> 'case.due'");
            dead = await ScalarAsync(connection, "SELECT count(*) FROM DeadLetters");
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT CaseRoom, ReporterCount, SummaryEvent FROM Cases WHERE CaseRoom IS NOT NULL";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rooms[reader.GetString(0)] = (reader.GetInt64(1), !reader.IsDBNull(2));
            }
        }
        var bot = homeserver.SenderUserId;
        var reportRooms = homeserver.RoomIds().Where(r => IsReportRoom(homeserver, r)).ToList();
        long duplicateMessages = 0;
        foreach (var room in reportRooms)
        {
            var messages = homeserver.Timeline(room)
                .Where(e => (string?)e["sender"] == bot && (string?)e["type"] == "m.room.message")
                .Select(e => e["content"]!.AsObject())
                .ToList();
            var summaries = messages.Count(c => c["m.relates_to"] is null && ((string?)c["body"])?.StartsWith("Report ", StringComparison.Ordinal) == true);
            duplicateMessages += Math.Max(0, summaries - 1);
            duplicateMessages += messages.Count - messages.Select(c => c.ToJsonString()).Distinct(StringComparer.Ordinal).Count();
        }
        var missing = rooms.Keys.Count(r => !reportRooms.Contains(r, StringComparer.Ordinal));
        return new CaseRoomCensus(reports, inRooms, cases, rooms.Count, reportRooms.Count,
            Math.Max(0, reportRooms.Count - rooms.Count), duplicateMessages, missing, queue, dead);
    }

    /// <summary>Polls (bounded) until every stored report is in a summarised case room and the queue is empty.</summary>
    public static async Task<CaseRoomCensus> SettleAsync(string dataPath, TestHomeserver.TestHomeserver homeserver, TimeSpan limit,
        Func<Task>? step = null)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            if (step is not null)
            {
                await step();
            }
            var census = await TakeAsync(dataPath, homeserver);
            if (census.Settled || DateTime.UtcNow > deadline)
            {
                return census;
            }
            await Task.Delay(500);
        }
    }

    private static bool IsReportRoom(TestHomeserver.TestHomeserver homeserver, string room) =>
        (string?)homeserver.GetState(room, "m.room.create")?["type"] == ReportRoomType;

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync() is long value ? value : 0;
    }
}
