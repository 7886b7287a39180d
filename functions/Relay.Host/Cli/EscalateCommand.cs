using System.CommandLine;
using Microsoft.Extensions.Options;
using Relay.Core.Cases;
using Relay.Core.Escalation;
using Relay.Host.Composition;
using Relay.Host.Escalation;

namespace Relay.Host.Cli;

/// <summary>
/// <c>relay cases escalate &lt;id&gt; [--tier N] [--reason text]</c>: an operator moves a case up the configured policy. The case,
/// its audit line and the tier's deliveries are written to the store in one go; the running Relay delivers them.
/// </summary>
public static class EscalateCommand
{
    /// <summary>Adds <c>escalate</c> under <c>relay cases</c>.</summary>
    public static void AddTo(RootCommand root) => root.Subcommands.Single(c => c.Name == "cases").Subcommands.Add(Create());

    public static Command Create()
    {
        var id = CaseArguments.Id();
        var tier = new Option<int?>("--tier") { Description = "The tier to go to (default: the next one)." };
        var reason = new Option<string?>("--reason") { Description = "Why, for the audit trail and the case room." };
        var escalate = new Command("escalate", "Escalate a case to the next (or the given) tier of the escalation policy.") { id, tier, reason };
        escalate.TreatUnmatchedTokensAsErrors = false;
        escalate.SetAction(async (result, ct) =>
        {
            if (await CaseArguments.ReadOrExplainAsync(result.GetValue(id)) is not { } reference)
            {
                return 2;
            }
            string[] args = [.. result.UnmatchedTokens];
            var options = new ConfigurationBuilder().AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables().AddCommandLine(args)
                .Build().GetSection(EscalationOptions.Section).Get<EscalationOptions>() ?? new EscalationOptions();
            EscalationPolicy policy;
            try
            {
                policy = EscalationPolicyLoader.LoadOrThrow(options);
            }
            catch (OptionsValidationException e)
            {
                await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, e.Failures));
                return 1;
            }
            await using var stores = await StoreAccess.OpenOrExplainAsync(args, ct);
            if (stores is null || await CaseArguments.ResolveOrExplainAsync(stores, reference, ct) is not { } caseId)
            {
                return 1;
            }
            var actor = "operator:" + Environment.UserName;
            var why = string.IsNullOrWhiteSpace(result.GetValue(reason)) ? "an operator escalated it (relay cases escalate)" : result.GetValue(reason)!.Trim();
            var outcome = await new Escalator(stores.Cases, stores.Writes, policy, TimeProvider.System)
                .EscalateAsync(caseId, actor, why, result.GetValue(tier), byModerator: false, ct);
            switch (outcome)
            {
                case EscalationOutcome.Escalated escalated:
                    var reached = policy.Tiers[escalated.Case.Tier - 1];
                    var channels = reached.Channels.Count == 0 ? "the case-room notice" : "the case-room notice, " + string.Join(", ", reached.Channels);
                    await Console.Out.WriteLineAsync($"Case {caseId} escalated from tier {escalated.From} to tier {reached.Number} ({reached.Name}); queued: {channels}.");
                    return 0;
                case EscalationOutcome.Refused refused:
                    await Console.Error.WriteLineAsync(refused.Reason);
                    return 1;
                case EscalationOutcome.NotFound:
                    await Console.Error.WriteLineAsync($"No case {caseId}.");
                    return 1;
                default:
                    return 1;
            }
        });
        return escalate;
    }
}
