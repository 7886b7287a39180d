using System.CommandLine;
using System.Text.Json;
using Relay.Core.Cases;
using Relay.Core.Retention;
using Relay.Core.Text;
using Relay.Host.Composition;

namespace Relay.Host.Cli;

/// <summary>
/// <c>relay cases export &lt;id&gt; [--out FILE]</c> (one case as JSON, for hand-over) and <c>relay cases purge &lt;id&gt; --yes</c>
/// (an erasure request: the case, its reports, audit trail and evidence go, and a tombstone records that they did).
/// </summary>
public static class CaseLifecycleCommands
{
    /// <summary>Adds <c>export</c> and <c>purge</c> under <c>relay cases</c>.</summary>
    public static void AddTo(RootCommand root)
    {
        var cases = root.Subcommands.Single(c => c.Name == "cases");
        cases.Subcommands.Add(CreateExport());
        cases.Subcommands.Add(CreatePurge());
    }

    private static Command CreateExport()
    {
        var id = CaseArguments.Id();
        var output = new Option<FileInfo?>("--out") { Description = "Write the JSON to this file instead of stdout." };
        var export = new Command("export", "Write one case (case, reports, audit trail, evidence) as JSON, for hand-over.") { id, output };
        export.TreatUnmatchedTokensAsErrors = false;
        export.SetAction((result, ct) => CaseArguments.RunOnCaseAsync(result, id, async (stores, found) =>
        {
            var view = CaseExportView.From(TimeProvider.System.GetUtcNow(), await CaseDetailView.LoadAsync(stores.Cases, found, ct),
                await stores.Evidence.GetAsync(found.Id, ct));
            var json = JsonSerializer.Serialize(view, CliJsonContext.Default.CaseExportView);
            if (result.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, json + Environment.NewLine, ct);
                await Console.Error.WriteLineAsync($"Case {found.Id} written to {file.FullName}.");
            }
            else
            {
                await Console.Out.WriteLineAsync(json);
            }
            return 0;
        }, ct));
        return export;
    }

    /// <summary>Without --yes: what a purge would delete. Exit 0: saying so is all that was asked.</summary>
    private static async Task<int> DescribeAsync(StoreAccess stores, CaseId caseId, CancellationToken cancellationToken)
    {
        var found = await stores.Cases.GetCaseAsync(caseId, cancellationToken);
        var evidence = await stores.Evidence.GetAsync(caseId, cancellationToken);
        if (found is null && evidence.Count == 0)
        {
            await CaseArguments.ExplainMissingAsync(stores, caseId, cancellationToken);
            return 1;
        }
        var reports = found is null ? 0 : (await stores.Cases.GetReportsAsync(caseId, cancellationToken)).Count;
        await Console.Out.WriteLineAsync(
            $"Nothing was deleted. 'relay cases purge {caseId} --yes' would delete case {caseId} "
            + $"({found?.State.ToString() ?? "already deleted by retention"}) with {Counted.Of(reports, "report")}, its audit trail and "
            + $"{Counted.Of(evidence.Count, "evidence item")}, for good, keeping only a tombstone (the case ID, the time, who).");
        return 0;
    }

    private static Command CreatePurge()
    {
        var id = CaseArguments.Id();
        var yes = new Option<bool>("--yes") { Description = "Really delete: without it, only say what would go." };
        var purge = new Command("purge", "Erase one case (an erasure request): the case, its reports, audit trail and evidence. " +
                                         "A tombstone (case ID, time, who) is kept.") { id, yes };
        purge.TreatUnmatchedTokensAsErrors = false;
        purge.SetAction((result, ct) => CaseArguments.RunAsync(result, id, async (stores, caseId) =>
        {
            if (!result.GetValue(yes))
            {
                return await DescribeAsync(stores, caseId, ct);
            }
            // Who, by the operator's account, as 'relay cases escalate' records it; never a reason (it outlives the case).
            var tombstone = await stores.Retention.PurgeCaseAsync(
                new PurgeRecord(caseId, TimeProvider.System.GetUtcNow(), "operator:" + Environment.UserName), ct);
            if (tombstone is null)
            {
                await Console.Error.WriteLineAsync($"No case {caseId}.");
                return 1;
            }
            await Console.Out.WriteLineAsync(CaseArguments.Purged(tombstone));
            return 0;
        }, ct));
        return purge;
    }
}
