using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Relay.Core.Cases;
using Relay.Core.Reports;
using Relay.Core.Text;
using Relay.Host.Composition;

namespace Relay.Host.Cli;

/// <summary><c>relay cases list [--json]</c> and <c>relay cases show &lt;id&gt; [--json]</c> against the configured store.</summary>
public static class CasesCommand
{
    public static Command Create()
    {
        var cases = new Command("cases", "Read cases from the configured store.");
        cases.Subcommands.Add(CreateList());
        cases.Subcommands.Add(CreateShow());
        return cases;
    }

    private static Command CreateList()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var state = new Option<CaseState?>("--state") { Description = "Only cases in this state." };
        var limit = new Option<int>("--limit") { Description = "At most this many cases, newest first.", DefaultValueFactory = _ => 100 };
        var list = new Command("list", "List cases, newest first.") { json, state, limit };
        list.TreatUnmatchedTokensAsErrors = false;
        list.SetAction(async (result, ct) =>
        {
            await using var stores = await StoreAccess.OpenOrExplainAsync([.. result.UnmatchedTokens], ct);
            if (stores is null)
            {
                return 1;
            }
            var found = await stores.Cases.ListCasesAsync(new CaseQuery(result.GetValue(state), result.GetValue(limit)), ct);
            var views = found.Select(CaseView.From).ToList();
            Console.Out.WriteLine(result.GetValue(json)
                ? JsonSerializer.Serialize(views, CliJsonContext.Default.ListCaseView)
                : CaseTable.Format(views));
            return 0;
        });
        return list;
    }

    private static Command CreateShow()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var id = CaseArguments.Id();
        var show = new Command("show", "Show one case with its reports and audit trail.") { id, json };
        show.TreatUnmatchedTokensAsErrors = false;
        show.SetAction((result, ct) => CaseArguments.RunOnCaseAsync(result, id, async (stores, found) =>
        {
            var detail = await CaseDetailView.LoadAsync(stores.Cases, found, ct);
            Console.Out.WriteLine(result.GetValue(json)
                ? JsonSerializer.Serialize(detail, CliJsonContext.Default.CaseDetailView)
                : CaseTable.Format(detail));
            return 0;
        }, ct));
        return show;
    }
}

internal static class CaseTable
{
    private const string Gap = "  ";

    public static string Format(IReadOnlyList<CaseView> cases)
    {
        if (cases.Count == 0)
        {
            return "No cases.";
        }
        return Columns(
            ["CASE", "STATE", "TIER", "REPORTERS", "REPORTS", "CATEGORY", "OPENED (UTC)", "TARGET"],
            cases.Select(c => new[]
            {
                c.Id, c.State, Number(c.Tier), Number(c.ReporterCount), Number(c.ReportCount), HarmCategory.LabelOf(c.Category),
                Time(c.OpenedAt), c.Target.ToString(),
            }),
            rightAligned: [2, 3, 4]);
    }

    public static string Format(CaseDetailView detail)
    {
        var c = detail.Case;
        var lines = new List<string>
        {
            $"Case {c.Id} (Report {c.Id[^8..]})",
            $"  state      {c.State} (tier {c.Tier})",
            $"  target     {c.Target}",
            $"  category   {HarmCategory.LabelOf(c.Category)}",
            $"  reporters  {Counted.Of(c.ReporterCount, "distinct reporter")}, {Counted.Of(c.ReportCount, "report")}",
            $"  opened     {Time(c.OpenedAt)} UTC, updated {Time(c.UpdatedAt)} UTC",
            $"  case room  {c.CaseRoom ?? "not yet opened"}{(c.CaseRoom is null ? "" : $" ({c.State.ToLowerInvariant()})")}",
            $"  summary    {c.SummaryEvent ?? "not yet posted"}",
            "",
            "Reports:",
            Indent(Columns(["RECEIVED (UTC)", "REPORT", "SOURCE", "CATEGORY", "REASON"],
                detail.Reports.Select(r => new[]
                {
                    Time(r.ReceivedAt), r.Id, r.Source, HarmCategory.LabelOf(r.Category), r.Origin + (r.Reason ?? "(no reason given)"),
                }))),
            "",
            "Audit trail:",
            Indent(Columns(["AT (UTC)", "ACTOR", "ACTION", "DETAIL"],
                detail.Audit.Select(a => new[] { Time(a.At), a.Actor, a.Action, a.Detail ?? "" }))),
        };
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Rows under a header, each column as wide as its widest cell (the last one left ragged), so columns line up whatever they hold.</summary>
    private static string Columns(string[] header, IEnumerable<string[]> rows, int[]? rightAligned = null)
    {
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        return string.Join(Environment.NewLine, all.Select(r => string.Join(Gap, r.Select((cell, i) =>
            i == r.Length - 1 ? cell
            : rightAligned?.Contains(i) == true ? cell.PadLeft(widths[i])
            : cell.PadRight(widths[i]))).TrimEnd()));
    }

    private static string Indent(string block) => "  " + block.Replace(Environment.NewLine, Environment.NewLine + "  ", StringComparison.Ordinal);

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
