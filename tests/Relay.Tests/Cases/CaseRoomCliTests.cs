using Relay.Host.Cli;
using Relay.Tests.Harness;

namespace Relay.Tests.Cases;

public sealed class CaseRoomCliTests
{
    [Fact]
    public async Task Cases_show_prints_the_case_room_its_summary_the_state_and_the_actions_in_the_audit_trail()
    {
        await using var relay = await RelayHarness.StartAsync();
        var world = CaseRoomWorld.Create(relay);
        var c = await world.OpenCaseAsync();
        await world.CommandAsync(c, world.Mod, "!ack");
        c = await world.CaseAsync(c.Id);

        var detail = new CaseDetailView(CaseView.From(c),
            [.. (await relay.Cases.GetReportsAsync(c.Id)).Select(ReportView.From)],
            [.. (await relay.Cases.GetAuditAsync(c.Id)).Select(AuditView.From)]);
        var text = CaseTable.Format(detail);

        Assert.Contains($"case room  {c.CaseRoom!.Value.Value} (acknowledged)", text);
        Assert.Contains($"summary    {c.SummaryEvent!.Value.Value}", text);
        Assert.Contains("action.ack", text);
        Assert.Contains(world.Mod, text);
        Assert.Equal(c.SummaryEvent.Value.Value, detail.Case.SummaryEvent);
    }
}
