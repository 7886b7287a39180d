using Relay.Core.Cases;
using Relay.Core.Escalation;
using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Core.Tests.Escalation;

public sealed class EscalationPolicyTests
{
    private static Case Case(string? category = null, int reporters = 1, int tier = 1) => new(
        CaseId.Parse("01JQ0000000000000000000000"), new ReportTarget.UserTarget(UserId.Parse("@spammer:example.org")), CaseState.Open, tier,
        category is null ? null : HarmCategory.Parse(category), reporters, reporters, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    [Fact]
    public void The_default_ladder_has_five_tiers_with_deadlines_that_stop_before_the_authorities()
    {
        var policy = EscalationPolicy.Default;

        Assert.Equal(["room moderators", "community admins", "the reported user's homeserver admins", "the hosting provider", "the authorities"],
            policy.Tiers.Select(t => t.Name));
        Assert.Equal([TimeSpan.FromHours(1), TimeSpan.FromHours(4), TimeSpan.FromHours(24), null, null], policy.Tiers.Select(t => t.Deadline));
        Assert.Contains(ChannelKinds.Evidence, policy.Last.Channels);
    }

    [Theory]
    [InlineData("m.child_safety.csam", 1, new[] { 4, 5 })]
    [InlineData("m.child_safety", 1, new[] { 4, 5 })]
    [InlineData("m.spam", 4, new int[0])]
    [InlineData("m.spam", 5, new[] { 2 })]
    [InlineData(null, 9, new[] { 2 })]
    public void Triggers_pick_the_tiers_a_case_meets(string? category, int reporters, int[] tiers)
    {
        Assert.Equal(tiers, EscalationPolicy.Default.TriggeredAbove(Case(category, reporters)).Select(t => t.Number));
    }

    [Fact]
    public void Triggers_below_the_current_tier_do_not_count()
    {
        Assert.Equal([5], EscalationPolicy.Default.TriggeredAbove(Case("m.child_safety.csam", tier: 4)).Select(t => t.Number));
    }

    [Fact]
    public void A_policy_file_is_read_with_iso_durations_and_known_channels()
    {
        var errors = new List<string>();
        var definition = PolicyDefinition.Parse("""
            {
              // comments and trailing commas are fine
              "tiers": [
                { "name": "mods", "deadline": "PT30M" },
                { "name": "admins", "channels": ["community_admins"], "deadline": "P1DT2H", "triggers": { "distinct_reporters": 3 } },
                { "name": "police", "channels": ["authorities_webhook", "evidence"], "triggers": { "categories": ["m.violence.threats"], "moderator_command": false } },
              ]
            }
            """, "policy.json", errors);

        var policy = definition!.TryBuild("policy.json", errors);

        Assert.Empty(errors);
        Assert.Equal([TimeSpan.FromMinutes(30), TimeSpan.FromHours(26), null], policy!.Tiers.Select(t => t.Deadline));
        Assert.Equal([false, true, false], policy.Tiers.Select(t => t.Triggers.ModeratorCommand));
        Assert.Equal(3, policy.Tiers[1].Triggers.DistinctReporters);
    }

    [Fact]
    public void Every_problem_of_a_policy_is_named_with_its_tier()
    {
        var errors = new List<string>();
        var definition = new PolicyDefinition(
        [
            new TierDefinition("mods", [], "30 minutes", new TriggerDefinition(["m.spam"], null, null)),
            new TierDefinition("", ["carrier_pigeon"], "PT0S", new TriggerDefinition(["m.not_a_harm"], 0, null)),
        ]);

        Assert.Null(definition.TryBuild("Relay__Escalation__Tiers", errors));

        Assert.Contains(errors, e => e.Contains("tier 1: Deadline '30 minutes' is not an ISO-8601 duration", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("tier 1: every case starts at tier 1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("tier 2: Name is missing", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("tier 2: unknown channel 'carrier_pigeon'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("tier 2: Deadline 'PT0S'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("tier 2: trigger category 'm.not_a_harm'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("tier 2: DistinctReporters must be at least 1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{", "not a policy document")]
    [InlineData("""{"tiers": []}""", "at least one tier")]
    [InlineData("""{"tiers": [{"name": "a", "colour": "red"}]}""", "not a policy document")]
    public void Malformed_policy_files_are_reported_not_thrown(string json, string message)
    {
        var errors = new List<string>();

        PolicyDefinition.Parse(json, "policy.json", errors)?.TryBuild("policy.json", errors);

        Assert.Contains(errors, e => e.StartsWith("policy.json", StringComparison.Ordinal) && e.Contains(message, StringComparison.Ordinal));
    }
}
