using Relay.Core.Reports;

namespace Relay.Core.Cases;

/// <summary>
/// The rule for how a report changes the case of its target: join the open case (counting the
/// reporter once) or open a new one. Pure, so every branch is a unit test.
/// </summary>
public static class CaseJoining
{
    public static CaseChange Join(OpenCaseSnapshot? open, ReportTarget target, HarmCategory? category,
        CaseId newCaseId, DateTimeOffset now) =>
        Join(open, target, category, newCaseId, now, target.DedupeKey, selfReport: false);

    /// <param name="key">The key the case is grouped by (<see cref="CaseGrouping.KeyFor"/>), kept with a new case.</param>
    /// <param name="selfReport">
    /// The reporter is the reported user: the report is recorded and joins the case, but does not count as a distinct
    /// reporter (an offender cannot inflate, or stand in for, the community's own reports).
    /// </param>
    public static CaseChange Join(OpenCaseSnapshot? open, ReportTarget target, HarmCategory? category,
        CaseId newCaseId, DateTimeOffset now, string key, bool selfReport)
    {
        if (open is null || !open.Case.State.IsOpen())
        {
            var opened = new Case(newCaseId, target, CaseState.Open, Tier: 1, category,
                ReporterCount: selfReport ? 0 : 1, ReportCount: 1, OpenedAt: now, UpdatedAt: now,
                GroupKey: key == target.DedupeKey ? null : key);
            return new CaseChange(opened, IsNew: true, NewReporter: !selfReport);
        }
        var current = open.Case;
        var newReporter = !open.ReporterAlreadyCounted && !selfReport;
        var joined = current with
        {
            Category = MoreSevere(current.Category, category),
            ReporterCount = current.ReporterCount + (newReporter ? 1 : 0),
            ReportCount = current.ReportCount + 1,
            UpdatedAt = now,
        };
        return new CaseChange(joined, IsNew: false, newReporter);
    }

    /// <summary>A child-safety report reclassifies a case; otherwise the first category given stands.</summary>
    public static HarmCategory? MoreSevere(HarmCategory? current, HarmCategory? incoming)
    {
        if (incoming is { IsChildSafety: true } && current is not { IsChildSafety: true })
        {
            return incoming;
        }
        return current ?? incoming;
    }
}

/// <summary>The open case of a target as the store sees it, and whether this reporter already counts in it.</summary>
public sealed record OpenCaseSnapshot(Case Case, bool ReporterAlreadyCounted);

public sealed record CaseChange(Case Case, bool IsNew, bool NewReporter);
