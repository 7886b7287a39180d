using System.CommandLine;
using Relay.Core.Cases;
using Relay.Core.Retention;
using Relay.Host.Composition;

namespace Relay.Host.Cli;

/// <summary>What the case commands share: the case-ID argument, and what to say when the case is not there.</summary>
internal static class CaseArguments
{
    public static Argument<string> Id() => new("id") { Description = "The case ID (as printed by 'relay cases list')." };

    /// <summary>The case ID, or null after telling the operator it is not one (IDs are printed upper-case, accepted in any case).</summary>
    public static async Task<CaseId?> ParseOrExplainAsync(string? raw)
    {
        if (CaseId.TryParse(raw?.Trim().ToUpperInvariant(), out var id))
        {
            return id;
        }
        await Console.Error.WriteLineAsync("Not a case ID: expected 26 characters as printed by 'relay cases list'.");
        return null;
    }

    /// <summary>
    /// What every case command starts with: the ID parsed (exit 2 when it is not one) and the store opened (exit 1 when there
    /// is none); then <paramref name="run"/> gives the exit code.
    /// </summary>
    public static async Task<int> RunAsync(ParseResult result, Argument<string> id, Func<StoreAccess, CaseId, Task<int>> run,
        CancellationToken cancellationToken)
    {
        if (await ParseOrExplainAsync(result.GetValue(id)) is not { } caseId)
        {
            return 2;
        }
        await using var stores = await StoreAccess.OpenOrExplainAsync([.. result.UnmatchedTokens], cancellationToken);
        return stores is null ? 1 : await run(stores, caseId);
    }

    /// <summary>As <see cref="RunAsync"/>, for commands on a stored case: a missing one is explained (exit 1).</summary>
    public static Task<int> RunOnCaseAsync(ParseResult result, Argument<string> id, Func<StoreAccess, Case, Task<int>> run,
        CancellationToken cancellationToken) =>
        RunAsync(result, id, async (stores, caseId) =>
        {
            if (await stores.Cases.GetCaseAsync(caseId, cancellationToken) is { } found)
            {
                return await run(stores, found);
            }
            await ExplainMissingAsync(stores, caseId, cancellationToken);
            return 1;
        }, cancellationToken);

    /// <summary>"No case X", or, for a purged case, when and by whom it was erased (the tombstone is all that is left).</summary>
    public static async Task ExplainMissingAsync(StoreAccess stores, CaseId id, CancellationToken cancellationToken) =>
        await Console.Error.WriteLineAsync(await stores.Retention.FindPurgeAsync(id, cancellationToken) is { } purge
            ? Purged(purge)
            : $"No case {id}.");

    public static string Purged(PurgeRecord purge) =>
        $"Case {purge.CaseId} was purged on {purge.PurgedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC by {purge.Actor}: " +
        $"{purge.Reports} report(s), {purge.AuditLines} audit line(s) and {purge.EvidenceItems} evidence item(s) were deleted.";
}
