using System.Text.Json.Nodes;
using Relay.Core.Cases;
using Relay.Tests.Harness;

namespace Relay.Tests.Hosting;

/// <summary><c>relay cases list|show</c> run as a real child process against the store a running Relay wrote.</summary>
public sealed class CasesCliTests
{
    private static Task<(int Code, string Out, string Err)> RunRelayAsync(string dataPath, params string[] args) =>
        RelayCliProcess.RunWithDataAsync(dataPath, args);

    [Fact]
    public async Task Cases_list_json_shows_the_case_with_its_reporter_count_and_show_prints_its_audit()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var (bob, bobToken) = relay.User("bob");
        var (mallory, _) = relay.User("mallory");
        var room = relay.Room(alice, bob, mallory);
        var ev = relay.Message(room, mallory);
        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, ev), aliceToken, new { reason = "spam" }));
        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, ev), bobToken, new { reason = "spam too" }));

        var (code, output, error) = await RunRelayAsync(relay.DataPath, "cases", "list", "--json");

        Assert.True(code == 0, error);
        var listed = Assert.Single(JsonNode.Parse(output)!.AsArray())!;
        Assert.Equal(2, (int)listed["reporter_count"]!);
        Assert.Equal("Open", (string?)listed["state"]);
        Assert.Equal(ev, (string?)listed["target"]!["event_id"]);
        var id = (string)listed["id"]!;

        var (showCode, shown, showError) = await RunRelayAsync(relay.DataPath, "cases", "show", id, "--json");
        Assert.True(showCode == 0, showError);
        var detail = JsonNode.Parse(shown)!;
        Assert.Equal(2, detail["reports"]!.AsArray().Count);
        Assert.Contains(detail["audit"]!.AsArray(), a => (string?)a!["action"] == "case.opened");
        Assert.DoesNotContain(alice, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(bob, shown, StringComparison.Ordinal);

        var (tableCode, table, _) = await RunRelayAsync(relay.DataPath, "cases", "list");
        Assert.Equal(0, tableCode);
        Assert.Contains(id, table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cases_show_takes_the_short_reference_people_see_in_any_letter_case()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var (mallory, _) = relay.User("mallory");
        var room = relay.Room(alice, mallory);
        var ev = relay.Message(room, mallory);
        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, ev), aliceToken, new { reason = "spam" }));
        var id = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery())).Id;

        foreach (var reference in new[] { id.Short, id.Short.ToLowerInvariant(), $"Report {id.Short}" })
        {
            var (code, shown, error) = await RunRelayAsync(relay.DataPath, "cases", "show", reference);
            Assert.True(code == 0, error);
            Assert.Contains($"Case {id} (Report {id.Short})", shown, StringComparison.Ordinal);
        }
        var (missingCode, _, missing) = await RunRelayAsync(relay.DataPath, "cases", "show", "ZZZZZZZZ");
        Assert.Equal(1, missingCode);
        Assert.Contains("No case ends in ZZZZZZZZ.", missing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cases_show_lines_up_the_audit_trail_and_counts_in_words()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (alice, aliceToken) = relay.User("alice");
        var (mallory, _) = relay.User("mallory");
        var room = relay.Room(alice, mallory);
        var ev = relay.Message(room, mallory);
        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, ev), aliceToken, new { reason = "spam" }));
        var id = Assert.Single(await relay.Cases.ListCasesAsync(new CaseQuery())).Id;

        var (code, shown, error) = await RunRelayAsync(relay.DataPath, "cases", "show", id.Value);

        Assert.True(code == 0, error);
        Assert.Contains("reporters  1 distinct reporter, 1 report", shown, StringComparison.Ordinal);
        Assert.Contains("category   Unspecified", shown, StringComparison.Ordinal);
        var lines = shown.Split('\n');
        var audit = lines.SkipWhile(l => l != "Audit trail:").Skip(1).TakeWhile(l => l.Length > 0).ToList();
        Assert.True(audit.Count >= 3, shown);
        var actionColumn = audit[0].IndexOf("ACTION", StringComparison.Ordinal);
        var detailColumn = audit[0].IndexOf("DETAIL", StringComparison.Ordinal);
        Assert.All(audit.Skip(1), line =>
        {
            Assert.Equal(' ', line[actionColumn - 1]);
            Assert.NotEqual(' ', line[actionColumn]);
            Assert.Equal(' ', line[detailColumn - 1]);
            Assert.NotEqual(' ', line[detailColumn]);
        });
    }

    [Fact]
    public async Task Cases_show_of_an_unknown_id_fails_with_a_message()
    {
        await using var relay = await RelayHarness.StartAsync();
        var (code, _, error) = await RunRelayAsync(relay.DataPath, "cases", "show", "01JZZZZZZZZZZZZZZZZZZZZZZZ");
        Assert.Equal(1, code);
        Assert.Contains("No case", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cases_list_without_a_store_says_how_to_point_at_one()
    {
        var (code, _, error) = await RunRelayAsync(Path.Combine(Path.GetTempPath(), "relay-nowhere", "none.db"), "cases", "list");
        Assert.Equal(1, code);
        Assert.Contains("Relay__Data__Path", error, StringComparison.Ordinal);
    }
}
