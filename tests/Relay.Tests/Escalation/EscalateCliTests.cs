using Relay.Core.Cases;
using Relay.Tests.Cases;
using Relay.Tests.Harness;

namespace Relay.Tests.Escalation;

/// <summary><c>relay cases escalate</c> as a real child process against the store a running Relay uses.</summary>
public sealed class EscalateCliTests
{
    private static Task<(int Code, string Out, string Err)> RunRelayAsync(string dataPath, params string[] args) =>
        RelayCliProcess.RunWithDataAsync(dataPath, args);

    [Fact]
    public async Task An_operator_escalates_a_case_to_a_tier_and_the_running_relay_delivers_it()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();

        var (code, output, error) = await RunRelayAsync(relay.DataPath, "cases", "escalate", c.Id.Value, "--tier", "5", "--reason", "police asked");
        await relay.RunQueueAsync();

        Assert.True(code == 0, error);
        Assert.Contains("from tier 1 to tier 5 (the authorities); queued: the case-room notice, evidence, cybertipline, authorities_webhook", output);
        var escalated = await world.CaseAsync(c.Id);
        Assert.Equal((CaseState.Escalated, 5), (escalated.State, escalated.Tier));
        var audit = await relay.Cases.GetAuditAsync(c.Id);
        var climb = Assert.Single(audit, a => a.Action == "case.escalated");
        Assert.StartsWith("operator:", climb.Actor, StringComparison.Ordinal);
        Assert.EndsWith("police asked", climb.Detail);
        Assert.Contains(audit, a => a.Action == "escalation.delivered" && a.Detail!.StartsWith("evidence tier 5: event", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Action == "escalation.skipped" && a.Detail!.StartsWith("cybertipline tier 5: the CyberTipline takes child-safety reports only", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Action == "escalation.skipped" && a.Detail!.StartsWith("authorities_webhook tier 5: no webhook configured", StringComparison.Ordinal));
        Assert.Contains(world.Replies(c), r => r.StartsWith("⬆️ Escalated to tier 5 of 5: the authorities. Why: police asked.", StringComparison.Ordinal));

        var (again, _, refusal) = await RunRelayAsync(relay.DataPath, "cases", "escalate", c.Id.Value, "--tier", "3");
        Assert.Equal(1, again);
        Assert.Contains("already at tier 5", refusal);
    }
}
