using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Relay.Synapse.Tests.Harness;

/// <summary>matrix-js-sdk (tests/synapse/client, pinned by its lockfile) reporting as a real client would.</summary>
public static class JsClient
{
    public static Task<JsonObject> ReportEventAsync(Uri baseUrl, MatrixUser user, string room, string eventId, int score, string reason) =>
        RunAsync(baseUrl, user, "event", room, eventId, score.ToString(System.Globalization.CultureInfo.InvariantCulture), reason);

    public static Task<JsonObject> ReportRoomAsync(Uri baseUrl, MatrixUser user, string room, string reason) =>
        RunAsync(baseUrl, user, "room", room, reason);

    private static async Task<JsonObject> RunAsync(Uri baseUrl, MatrixUser user, params string[] args)
    {
        var script = Path.Combine(ReadmeProxy.RepositoryRoot(), "tests", "synapse", "client", "report.mjs");
        if (!Directory.Exists(Path.Combine(Path.GetDirectoryName(script)!, "node_modules", "matrix-js-sdk")))
        {
            throw new InvalidOperationException("matrix-js-sdk is not installed: tests/synapse/run runs npm ci in tests/synapse/client.");
        }
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(baseUrl.ToString().TrimEnd('/'));
        start.ArgumentList.Add(user.UserId);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["MATRIX_ACCESS_TOKEN"] = user.Token;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var text = (await output).Trim();
        return JsonNode.Parse(text.Length > 0 ? text : "{}") is JsonObject answer && process.ExitCode == 0
            ? answer
            : throw new InvalidOperationException($"matrix-js-sdk failed ({process.ExitCode}): {text} {await error}");
    }
}
