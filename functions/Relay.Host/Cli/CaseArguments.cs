using System.CommandLine;
using Relay.Core.Cases;
using Relay.Core.Retention;
using Relay.Core.Text;
using Relay.Host.Composition;

namespace Relay.Host.Cli;

/// <summary>
/// What the case commands share: the case argument (a full ID, or the short reference people see), and what to say when the
/// case is not there.
/// </summary>
internal static class CaseArguments
{
    private const int ShortestReference = 6;

    public static Argument<string> Id() => new("case")
    {
        Description = "The case: its ID as 'relay cases list' prints it, or its short reference (the last 8 characters: "
            + "the case room's name 'Report XXXXXXXX', the dashboard and the web form's confirmation show it). Any letter case.",
    };

    /// <summary>
    /// The reference in upper case when it can name a case (a full ID, or the end of one), or null after telling the operator
    /// what is expected.
    /// </summary>
    public static async Task<string?> ReadOrExplainAsync(string? raw)
    {
        var reference = raw?.Trim().ToUpperInvariant() ?? "";
        if (reference.StartsWith("REPORT ", StringComparison.Ordinal))
        {
            reference = reference["REPORT ".Length..].Trim();
        }
        if (reference.Length is >= ShortestReference and <= 26 && CaseId.TryParse(reference.PadLeft(26, '0'), out _))
        {
            return reference;
        }
        await Console.Error.WriteLineAsync(
            "Not a case: expected its ID (26 characters, as 'relay cases list' prints it) or its short reference (the last 8).");
        return null;
    }

    /// <summary>The one case <paramref name="reference"/> names, or null after saying that none or several do.</summary>
    public static async Task<CaseId?> ResolveOrExplainAsync(StoreAccess stores, string reference, CancellationToken cancellationToken)
    {
        if (CaseId.TryParse(reference, out var full))
        {
            return full;
        }
        var matches = await FindEndingInAsync(stores.Cases, reference, cancellationToken);
        switch (matches.Count)
        {
            case 1:
                return matches[0];
            case 0:
                await Console.Error.WriteLineAsync($"No case ends in {reference}.");
                return null;
            default:
                await Console.Error.WriteLineAsync($"{Counted.Of(matches.Count, "case")} end in {reference}: "
                    + string.Join(", ", matches) + ". Give more of the ID.");
                return null;
        }
    }

    /// <summary>Every stored case whose ID ends in <paramref name="suffix"/>, listed page by page (a community's cases are few).</summary>
    private static async Task<IReadOnlyList<CaseId>> FindEndingInAsync(ICaseStore cases, string suffix, CancellationToken cancellationToken)
    {
        var found = new List<CaseId>();
        CaseCursor? after = null;
        while (true)
        {
            var page = await cases.ListCasesAsync(new CaseQuery(null, 500) { After = after }, cancellationToken);
            found.AddRange(page.Where(c => c.Id.Value.EndsWith(suffix, StringComparison.Ordinal)).Select(c => c.Id));
            if (page.Count < 500)
            {
                return found;
            }
            after = CaseCursor.Of(page[^1]);
        }
    }

    /// <summary>
    /// What every case command starts with: the reference read (exit 2 when it cannot name a case), the store opened (exit 1
    /// when there is none) and the case found (exit 1 when none or several match); then <paramref name="run"/> gives the exit code.
    /// </summary>
    public static async Task<int> RunAsync(ParseResult result, Argument<string> id, Func<StoreAccess, CaseId, Task<int>> run,
        CancellationToken cancellationToken)
    {
        if (await ReadOrExplainAsync(result.GetValue(id)) is not { } reference)
        {
            return 2;
        }
        await using var stores = await StoreAccess.OpenOrExplainAsync([.. result.UnmatchedTokens], cancellationToken);
        if (stores is null || await ResolveOrExplainAsync(stores, reference, cancellationToken) is not { } caseId)
        {
            return 1;
        }
        return await run(stores, caseId);
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
        $"{Counted.Of(purge.Reports, "report")}, {Counted.Of(purge.AuditLines, "audit line")} and " +
        $"{Counted.Of(purge.EvidenceItems, "evidence item")} were deleted.";
}
