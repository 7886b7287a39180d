using System.CommandLine;
using System.Globalization;
using Relay.Core.Statistics;
using Relay.Host.Composition;
using Relay.Host.Transparency;

namespace Relay.Host.Cli;

/// <summary><c>relay report transparency [--from DATE] [--to DATE] [--format csv|json] [--out FILE]</c> against the configured store.</summary>
public static class ReportCommand
{
    private const int DefaultDays = 30;

    public static Command Create()
    {
        var report = new Command("report", "Reports computed from the configured store.");
        report.Subcommands.Add(CreateTransparency());
        return report;
    }

    private static Command CreateTransparency()
    {
        var from = new Option<string?>("--from") { Description = $"First day (UTC, yyyy-MM-dd); default {DefaultDays - 1} days before --to." };
        var to = new Option<string?>("--to") { Description = "Last day (UTC, yyyy-MM-dd), included; default today." };
        var format = new Option<string>("--format") { Description = "csv or json.", DefaultValueFactory = _ => TransparencyExport.Csv };
        format.AcceptOnlyFromAmong(TransparencyExport.Csv, TransparencyExport.Json);
        var output = new Option<FileInfo?>("--out") { Description = "Write to this file instead of stdout." };
        var transparency = new Command("transparency",
            "Counts for a transparency report: notices by category and source, actions, automated and human decisions, " +
            "median handling time, escalations to the authorities. No user IDs, rooms or reasons.") { from, to, format, output };
        transparency.TreatUnmatchedTokensAsErrors = false;
        transparency.SetAction(async (result, ct) =>
        {
            var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
            if (!TryDay(result.GetValue(to), today, "--to", out var last)
                || !TryDay(result.GetValue(from), last.AddDays(1 - DefaultDays), "--from", out var first))
            {
                return 2;
            }
            if (last < first)
            {
                await Console.Error.WriteLineAsync($"--from ({first:yyyy-MM-dd}) is after --to ({last:yyyy-MM-dd}).");
                return 2;
            }
            await using var stores = await StoreAccess.OpenOrExplainAsync([.. result.UnmatchedTokens], ct);
            if (stores is null)
            {
                return 1;
            }
            var figures = await new CaseStatistics(stores.Activity, stores.Cases, TimeProvider.System)
                .GetTransparencyReportAsync(ReportingPeriod.Days(first, last), ct);
            var text = TransparencyExport.Render(figures, result.GetValue(format) ?? TransparencyExport.Csv);
            if (result.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, text, ct);
            }
            else
            {
                await Console.Out.WriteAsync(text);
            }
            return 0;
        });
        return transparency;
    }

    private static bool TryDay(string? value, DateOnly fallback, string option, out DateOnly day)
    {
        if (value is null)
        {
            day = fallback;
            return true;
        }
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            return true;
        }
        Console.Error.WriteLine($"{option} must be a date as yyyy-MM-dd (UTC); got '{value}'.");
        return false;
    }
}
