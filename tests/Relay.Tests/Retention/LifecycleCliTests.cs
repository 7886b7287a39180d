using System.Text.Json.Nodes;
using Relay.Tests.Cases;
using Relay.Tests.Harness;

namespace Relay.Tests.Retention;

/// <summary><c>relay cases export|purge</c> and <c>relay report transparency</c> as real child processes against the SQLite store a running Relay uses.</summary>
public sealed class LifecycleCliTests
{
    [Fact]
    public async Task Export_writes_the_case_with_its_reports_audit_and_evidence_and_never_the_reporter()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await EscalatedToAuthoritiesAsync(relay, world);
        var file = Path.Combine(Path.GetDirectoryName(relay.DataPath)!, "export.json");

        var (code, _, error) = await RelayCliProcess.RunWithDataAsync(relay.DataPath, "cases", "export", c.Id.Value.ToLowerInvariant(), "--out", file);

        Assert.True(code == 0, error);
        var json = await File.ReadAllTextAsync(file);
        var export = JsonNode.Parse(json)!;
        Assert.Equal(c.Id.Value, (string?)export["case"]!["id"]);
        Assert.Equal("spam links", (string?)Assert.Single(export["reports"]!.AsArray())!["reason"]);
        Assert.Contains(export["audit"]!.AsArray(), a => (string?)a!["action"] == "case.escalated");
        var evidence = Assert.Single(export["evidence"]!.AsArray())!;
        Assert.Equal(64, ((string)evidence["sha256"]!).Length);
        Assert.Contains("m.room.message", (string?)evidence["content"], StringComparison.Ordinal);
        Assert.DoesNotContain(world.Member, json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purge_without_yes_says_what_would_go_and_succeeds_then_with_yes_erases_the_case_and_show_names_the_tombstone()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await EscalatedToAuthoritiesAsync(relay, world);

        var (dryCode, dryRun, dryError) = await RelayCliProcess.RunWithDataAsync(relay.DataPath, "cases", "purge", c.Id.Value);
        Assert.True(dryCode == 0, dryError);
        Assert.Contains($"Nothing was deleted. 'relay cases purge {c.Id} --yes' would delete case {c.Id}", dryRun, StringComparison.Ordinal);
        Assert.Contains("with 1 report, its audit trail and 1 evidence item, for good", dryRun, StringComparison.Ordinal);
        Assert.NotNull(await relay.Cases.GetCaseAsync(c.Id));

        var (code, output, error) = await RelayCliProcess.RunWithDataAsync(relay.DataPath, "cases", "purge", c.Id.Value, "--yes");

        Assert.True(code == 0, error);
        Assert.Contains($"Case {c.Id} was purged on", output, StringComparison.Ordinal);
        Assert.Contains("by operator:", output, StringComparison.Ordinal);
        Assert.Null(await relay.Cases.GetCaseAsync(c.Id));
        Assert.Empty(await relay.Cases.GetAuditAsync(c.Id));
        var (showCode, _, shown) = await RelayCliProcess.RunWithDataAsync(relay.DataPath, "cases", "show", c.Id.Value);
        Assert.Equal(1, showCode);
        Assert.Contains(": 1 report, ", shown, StringComparison.Ordinal);
        Assert.Contains("and 1 evidence item were deleted", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transparency_counts_notices_decisions_and_escalations_without_naming_anyone()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        await EscalatedToAuthoritiesAsync(relay, world);
        // Yesterday to today: the case is made with the real clock, so a run that crosses midnight still counts it.
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var yesterday = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var (code, json, error) = await RelayCliProcess.RunWithDataAsync(relay.DataPath, "report", "transparency", "--from", yesterday, "--to", today, "--format", "json");

        Assert.True(code == 0, error);
        var report = JsonNode.Parse(json)!;
        Assert.Equal(yesterday, (string?)report["from"]);
        Assert.Equal(1, (int)report["notices_received"]!);
        Assert.Equal("ClientEventReport", (string?)Assert.Single(report["notices_by_source"]!.AsArray())!["name"]);
        Assert.Equal("escalate", (string?)Assert.Single(report["actions_by_kind"]!.AsArray())!["name"]);
        Assert.Equal((0, 1), ((int)report["automated_decisions"]!, (int)report["human_decisions"]!));
        Assert.Equal(1, (int)report["escalations_to_authorities"]!);
        Assert.Null(report["median_handling_seconds"]);
        Assert.DoesNotContain("@", json, StringComparison.Ordinal);
        Assert.DoesNotContain(world.Room, json, StringComparison.Ordinal);
        Assert.DoesNotContain("spam links", json, StringComparison.Ordinal);

        var (csvCode, csv, _) = await RelayCliProcess.RunWithDataAsync(relay.DataPath, "report", "transparency", "--from", yesterday, "--to", today);
        Assert.Equal(0, csvCode);
        Assert.StartsWith("section,name,value\nperiod,from," + yesterday + "\n", csv, StringComparison.Ordinal);
        Assert.Contains("escalations,to_authorities,1\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transparency_refuses_a_date_it_cannot_read()
    {
        var (code, _, error) = await RelayCliProcess.RunWithDataAsync("unused.db", "report", "transparency", "--from", "01/02/2026");

        Assert.Equal(2, code);
        Assert.Contains("--from must be a date as yyyy-MM-dd", error, StringComparison.Ordinal);
    }

    /// <summary>A case reported by a member and sent by an operator to tier 5, whose evidence channel preserves the event.</summary>
    private static async Task<Relay.Core.Cases.Case> EscalatedToAuthoritiesAsync(RelayHarness relay, CaseRoomWorld world)
    {
        var c = await world.OpenCaseAsync();
        var (code, _, error) = await RelayCliProcess.RunWithDataAsync(relay.DataPath, "cases", "escalate", c.Id.Value, "--tier", "5");
        Assert.True(code == 0, error);
        await relay.RunQueueAsync();
        return c;
    }
}
