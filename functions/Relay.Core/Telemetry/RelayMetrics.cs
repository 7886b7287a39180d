using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Relay.Core.Telemetry;

/// <summary>
/// Relay's own metrics and traces, through System.Diagnostics only: the core knows no exporter. The
/// host subscribes to <see cref="MeterName"/> and <see cref="ActivitySourceName"/> (OpenTelemetry to
/// Application Insights, or the console). Tags never carry reporters, reasons or tokens.
/// </summary>
public static class RelayMetrics
{
    public const string MeterName = "Relay";

    public const string ActivitySourceName = "Relay";

    private static readonly Meter Meter = new(MeterName, "1.0");

    public static ActivitySource ActivitySource { get; } = new(ActivitySourceName, "1.0");

    private static readonly Counter<long> ReportsReceived = Meter.CreateCounter<long>(
        "relay.reports.received", "{report}", "Reports stored, by source and target kind.");

    private static readonly Counter<long> CasesOpened = Meter.CreateCounter<long>(
        "relay.cases.opened", "{case}", "Cases opened by a first report, by target kind.");

    private static readonly Counter<long> Escalations = Meter.CreateCounter<long>(
        "relay.escalations", "{escalation}", "Cases escalated to a tier, by tier.");

    private static readonly Histogram<double> HomeserverDuration = Meter.CreateHistogram<double>(
        "relay.homeserver.duration", "s", "Latency of calls to the homeserver, by method and status class.");

    public static void ReportReceived(string source, string targetKind, bool openedCase)
    {
        ReportsReceived.Add(1, new KeyValuePair<string, object?>("source", source),
            new KeyValuePair<string, object?>("target", targetKind));
        if (openedCase)
        {
            CasesOpened.Add(1, new KeyValuePair<string, object?>("target", targetKind));
        }
    }

    public static void Escalated(int tier) =>
        Escalations.Add(1, new KeyValuePair<string, object?>("tier", tier));

    /// <summary><paramref name="status"/> is the HTTP status, or 0 when no response came (timeout, refused).</summary>
    public static void HomeserverCall(string method, int status, TimeSpan elapsed) =>
        HomeserverDuration.Record(elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("http.request.method", method),
            new KeyValuePair<string, object?>("status_class", status == 0 ? "none" : $"{status / 100}xx"));
}
