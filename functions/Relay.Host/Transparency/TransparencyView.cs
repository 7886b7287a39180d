using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Relay.Core.Statistics;

namespace Relay.Host.Transparency;

/// <summary>
/// The shape of <c>relay report transparency</c> and of the dashboard's download (both through
/// <see cref="TransparencyExport"/>): counts only, under stable snake_case names. <see cref="From"/> and <see cref="To"/>
/// are the first and last UTC day covered; the handling time is in whole seconds.
/// </summary>
public sealed record TransparencyView(
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("generated_at")] DateTimeOffset GeneratedAt,
    [property: JsonPropertyName("notices_received")] int NoticesReceived,
    [property: JsonPropertyName("notices_by_category")] IReadOnlyList<CountView> NoticesByCategory,
    [property: JsonPropertyName("notices_by_source")] IReadOnlyList<CountView> NoticesBySource,
    [property: JsonPropertyName("actions_by_kind")] IReadOnlyList<CountView> ActionsByKind,
    [property: JsonPropertyName("automated_decisions")] int AutomatedDecisions,
    [property: JsonPropertyName("human_decisions")] int HumanDecisions,
    [property: JsonPropertyName("cases_closed")] int CasesClosed,
    [property: JsonPropertyName("median_handling_seconds")] long? MedianHandlingSeconds,
    [property: JsonPropertyName("escalations_to_authorities")] int EscalationsToAuthorities)
{
    public static TransparencyView Of(TransparencyReport r) => new(
        Day(r.Period.From), Day(r.Period.To.AddTicks(-1)), r.GeneratedAt, r.NoticesReceived,
        Counts(r.NoticesByCategory), Counts(r.NoticesBySource), Counts(r.ActionsByKind),
        r.AutomatedDecisions, r.HumanDecisions, r.CasesClosed,
        r.MedianHandlingTime is { } median ? (long)Math.Round(median.TotalSeconds) : null,
        r.EscalationsToAuthorities);

    /// <summary>One <c>section,name,value</c> row per figure, so a spreadsheet opens it and a script greps it.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder("section,name,value\n");
        void Row(string section, string name, object? value) =>
            csv.Append(Cell(section)).Append(',').Append(Cell(name)).Append(',')
                .Append(Cell(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")).Append('\n');

        Row("period", "from", From);
        Row("period", "to", To);
        Row("notices", "received", NoticesReceived);
        NoticesByCategory.ToList().ForEach(c => Row("notices_by_category", c.Name, c.Count));
        NoticesBySource.ToList().ForEach(c => Row("notices_by_source", c.Name, c.Count));
        ActionsByKind.ToList().ForEach(c => Row("actions_by_kind", c.Name, c.Count));
        Row("decisions", "automated", AutomatedDecisions);
        Row("decisions", "human", HumanDecisions);
        Row("cases", "closed", CasesClosed);
        Row("cases", "median_handling_seconds", MedianHandlingSeconds);
        Row("escalations", "to_authorities", EscalationsToAuthorities);
        return csv.ToString();
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static List<CountView> Counts(IReadOnlyList<NamedCount> counts) => [.. counts.Select(c => new CountView(c.Name, c.Count))];

    private static string Cell(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

public sealed record CountView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("count")] int Count);
