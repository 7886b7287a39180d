using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Relay.Core.Cases;
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
    public static string Format(IReadOnlyList<CaseView> cases)
    {
        if (cases.Count == 0)
        {
            return "No cases.";
        }
        var lines = new List<string> { $"{"CASE",-26}  {"STATE",-12}  {"TIER",4}  {"REPORTERS",9}  {"REPORTS",7}  {"CATEGORY",-24}  {"OPENED (UTC)",-16}  TARGET" };
        lines.AddRange(cases.Select(c =>
            $"{c.Id,-26}  {c.State,-12}  {c.Tier,4}  {c.ReporterCount,9}  {c.ReportCount,7}  {c.Category ?? "-",-24}  {Time(c.OpenedAt),-16}  {c.Target}"));
        return string.Join(Environment.NewLine, lines);
    }

    public static string Format(CaseDetailView detail)
    {
        var c = detail.Case;
        var lines = new List<string>
        {
            $"Case {c.Id}",
            $"  state      {c.State} (tier {c.Tier})",
            $"  target     {c.Target}",
            $"  category   {c.Category ?? "unspecified"}",
            $"  reporters  {c.ReporterCount} distinct, {c.ReportCount} reports",
            $"  opened     {Time(c.OpenedAt)} UTC, updated {Time(c.UpdatedAt)} UTC",
            $"  case room  {c.CaseRoom ?? "not yet opened"}{(c.CaseRoom is null ? "" : $" ({c.State.ToLowerInvariant()})")}",
            $"  summary    {c.SummaryEvent ?? "not yet posted"}",
            "",
            "Reports:",
        };
        lines.AddRange(detail.Reports.Select(r =>
            $"  {Time(r.ReceivedAt)}  {r.Id}  {r.Source,-18}  {r.Category ?? "-",-24}  {r.Origin}{r.Reason ?? "(no reason given)"}"));
        lines.Add("");
        lines.Add("Audit trail:");
        lines.AddRange(detail.Audit.Select(a => $"  {Time(a.At)}  {a.Actor,-20}  {a.Action,-16}  {a.Detail}"));
        return string.Join(Environment.NewLine, lines);
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
