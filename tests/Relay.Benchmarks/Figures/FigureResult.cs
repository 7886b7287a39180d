using System.Globalization;

namespace Relay.Benchmarks.Figures;

/// <summary>
/// One printed line: a figure, the baseline measured in the same run, their ratio and the target.
/// Absolute numbers vary with the machine and its neighbours; the ratio is what is compared.
/// </summary>
public sealed record FigureResult(
    int Number,
    string Name,
    string Measured,
    string Baseline,
    double? Ratio,
    string Target,
    bool? Met,
    string? Note = null)
{
    /// <summary>A figure that cannot be measured yet, with what it needs; never a made-up number.</summary>
    public static FigureResult NotAvailable(int number, string name, string needs, string target) =>
        new(number, name, $"n/a (needs {needs})", "-", null, target, null);

    public string Format()
    {
        var ratio = Ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
        var verdict = Met switch
        {
            true => "met",
            false => "NOT met",
            null => "-",
        };
        var line = $"{Number}. {Name}: {Measured} | baseline {Baseline} | ratio {ratio} | target {Target}: {verdict}";
        return Note is null ? line : $"{line} ({Note})";
    }

    public static string Rate(double perSecond, string unit) =>
        perSecond.ToString(perSecond >= 100 ? "#,0" : "0.0", CultureInfo.InvariantCulture) + " " + unit;

    public static string Millis(double ms) => ms.ToString(ms >= 100 ? "0" : "0.00", CultureInfo.InvariantCulture) + " ms";

    public static string MiB(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
