using System.Text.Json.Nodes;

namespace Relay.Benchmarks.Load;

/// <summary>
/// What the Synapse figures report on: one public room owned by @mod (power level 100, so its one moderator), with the
/// bot and the reporters joined, and @mallory's messages to report. The reporters are the script's @alice, @bob and
/// @carol plus users registered here, so that every (event, reporter) pair is reported once.
/// </summary>
public sealed class SynapseWorld
{
    private SynapseWorld(string room, IReadOnlyList<string> events, IReadOnlyList<string> reporterTokens, string moderator)
    {
        Room = room;
        Events = events;
        ReporterTokens = reporterTokens;
        Moderator = moderator;
    }

    public string Room { get; }

    public IReadOnlyList<string> Events { get; }

    public IReadOnlyList<string> ReporterTokens { get; }

    public string Moderator { get; }

    public static async Task<SynapseWorld> SeedAsync(Synapse synapse, string asToken, int reporters, int events)
    {
        var tokens = new List<string> { synapse.Token("alice"), synapse.Token("bob"), synapse.Token("carol") };
        for (var i = tokens.Count; i < reporters; i++)
        {
            tokens.Add(await synapse.RegisterUserAsync($"reporter{i}"));
        }
        var room = (await synapse.SendAsync(HttpMethod.Post, "_matrix/client/v3/createRoom", synapse.Token("mod"),
            new JsonObject { ["preset"] = "public_chat", ["name"] = "Relay benchmark" }))["room_id"]!.GetValue<string>();
        var join = $"_matrix/client/v3/join/{Uri.EscapeDataString(room)}";
        // The bot joins as a protected room's bot does: it reads the room's moderators for each new case.
        foreach (var token in tokens.Append(synapse.Token("mallory")).Append(asToken))
        {
            await synapse.SendAsync(HttpMethod.Post, join, token, []);
        }
        var ids = new string[events];
        await Parallel.ForAsync(0, events, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (e, _) =>
        {
            ids[e] = (await synapse.SendAsync(HttpMethod.Put,
                $"_matrix/client/v3/rooms/{Uri.EscapeDataString(room)}/send/m.room.message/bench.{e}", synapse.Token("mallory"),
                new JsonObject { ["msgtype"] = "m.text", ["body"] = $"buy cheap things #{e}" }))["event_id"]!.GetValue<string>();
        });
        return new SynapseWorld(room, ids, tokens, $"@mod:{synapse.ServerName}");
    }

    /// <summary>A report of event <paramref name="eventIndex"/> by reporter <paramref name="reporterIndex"/>, the same request for Relay and Synapse.</summary>
    public HttpRequestMessage Report(int eventIndex, int reporterIndex)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, ReportWorld.EventReportPath(Room, Events[eventIndex]).TrimStart('/'))
        {
            Content = new ByteArrayContent(ReportWorld.ReportBody),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ReporterTokens[reporterIndex]);
        return request;
    }
}
