using Relay.Core.Cases;

namespace Relay.Core.Tests.Cases;

public sealed class CaseWorkflowTests
{
    public static TheoryData<CaseState, CaseTrigger, string> Table => new()
    {
        { CaseState.Open, CaseTrigger.Acknowledge, "-> Acknowledged" },
        { CaseState.Open, CaseTrigger.Enforce, "-> Acknowledged" },
        { CaseState.Open, CaseTrigger.Escalate, "-> Escalated" },
        { CaseState.Open, CaseTrigger.Deadline, "-> Escalated" },
        { CaseState.Open, CaseTrigger.Dismiss, "-> Dismissed" },
        { CaseState.Open, CaseTrigger.Resolve, "-> Resolved" },
        { CaseState.Open, CaseTrigger.Restore, "stays" },
        { CaseState.Acknowledged, CaseTrigger.Acknowledge, "refused" },
        { CaseState.Acknowledged, CaseTrigger.Enforce, "stays" },
        { CaseState.Acknowledged, CaseTrigger.Escalate, "-> Escalated" },
        { CaseState.Acknowledged, CaseTrigger.Deadline, "refused" },
        { CaseState.Acknowledged, CaseTrigger.Dismiss, "-> Dismissed" },
        { CaseState.Acknowledged, CaseTrigger.Resolve, "-> Resolved" },
        { CaseState.Acknowledged, CaseTrigger.Restore, "stays" },
        { CaseState.Escalated, CaseTrigger.Acknowledge, "-> Acknowledged" },
        { CaseState.Escalated, CaseTrigger.Enforce, "stays" },
        { CaseState.Escalated, CaseTrigger.Escalate, "stays" },
        { CaseState.Escalated, CaseTrigger.Deadline, "stays" },
        { CaseState.Escalated, CaseTrigger.Dismiss, "-> Dismissed" },
        { CaseState.Escalated, CaseTrigger.Resolve, "-> Resolved" },
        { CaseState.Escalated, CaseTrigger.Restore, "stays" },
        { CaseState.Resolved, CaseTrigger.Acknowledge, "refused" },
        { CaseState.Resolved, CaseTrigger.Enforce, "refused" },
        { CaseState.Resolved, CaseTrigger.Escalate, "refused" },
        { CaseState.Resolved, CaseTrigger.Deadline, "refused" },
        { CaseState.Resolved, CaseTrigger.Dismiss, "refused" },
        { CaseState.Resolved, CaseTrigger.Resolve, "refused" },
        { CaseState.Resolved, CaseTrigger.Restore, "stays" },
        { CaseState.Dismissed, CaseTrigger.Acknowledge, "refused" },
        { CaseState.Dismissed, CaseTrigger.Enforce, "refused" },
        { CaseState.Dismissed, CaseTrigger.Escalate, "refused" },
        { CaseState.Dismissed, CaseTrigger.Deadline, "refused" },
        { CaseState.Dismissed, CaseTrigger.Dismiss, "refused" },
        { CaseState.Dismissed, CaseTrigger.Resolve, "refused" },
        { CaseState.Dismissed, CaseTrigger.Restore, "stays" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Every_state_and_trigger_pair_has_the_tabled_outcome(CaseState state, CaseTrigger trigger, string expected)
    {
        var outcome = CaseWorkflow.Transition(state, trigger);

        var actual = outcome switch
        {
            TransitionOutcome.Moves m => "-> " + m.To,
            TransitionOutcome.Stays => "stays",
            TransitionOutcome.Refused r => string.IsNullOrWhiteSpace(r.Reason) ? "refused without a reason" : "refused",
            _ => "unknown",
        };
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void The_table_covers_every_pair()
    {
        var pairs = Table.Select(row => ((CaseState)row[0], (CaseTrigger)row[1])).ToHashSet();

        foreach (var state in Enum.GetValues<CaseState>())
        {
            foreach (var trigger in Enum.GetValues<CaseTrigger>())
            {
                Assert.Contains((state, trigger), pairs);
            }
        }
    }

    [Fact]
    public void Refusals_of_closed_cases_say_what_state_the_case_is_in()
    {
        var refused = Assert.IsType<TransitionOutcome.Refused>(CaseWorkflow.Transition(CaseState.Dismissed, CaseTrigger.Resolve));

        Assert.Contains("dismissed", refused.Reason);
    }
}
