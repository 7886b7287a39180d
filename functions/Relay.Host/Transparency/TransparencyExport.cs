using System.Text.Json;
using System.Text.Json.Serialization;
using Relay.Core.Statistics;

namespace Relay.Host.Transparency;

/// <summary>
/// The one rendering of a transparency report, for <c>relay report transparency</c> and the dashboard's download alike, so
/// the two can never disagree: CSV (one <c>section,name,value</c> row a figure) or JSON (one object).
/// </summary>
public static class TransparencyExport
{
    public const string Csv = "csv";
    public const string Json = "json";

    public static bool IsFormat(string? format) => format is Csv or Json;

    public static string Render(TransparencyReport report, string format)
    {
        var view = TransparencyView.Of(report);
        return format switch
        {
            Csv => view.ToCsv(),
            Json => JsonSerializer.Serialize(view, TransparencyJsonContext.Default.TransparencyView) + "\n",
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "csv or json"),
        };
    }

    public static string ContentType(string format) => format == Json ? "application/json; charset=utf-8" : "text/csv; charset=utf-8";

    /// <summary><c>relay-transparency-2026-10-01-2026-10-31.csv</c>: the period in the name, so downloads do not overwrite each other.</summary>
    public static string FileName(DateOnly first, DateOnly last, string format) =>
        $"relay-transparency-{first:yyyy-MM-dd}-{last:yyyy-MM-dd}.{format}";
}

[JsonSerializable(typeof(TransparencyView))]
[JsonSourceGenerationOptions(WriteIndented = true)]
public sealed partial class TransparencyJsonContext : JsonSerializerContext;
