using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Relay.Core.Telemetry;
using Relay.Host.Composition;
using Relay.Tests.Harness;

namespace Relay.Tests.Telemetry;

public sealed class TelemetryTests
{
    [Fact]
    public async Task A_first_report_counts_a_report_and_an_opened_case_and_times_the_homeserver_calls()
    {
        using var reports = new MetricCollector<long>(null, RelayMetrics.MeterName, "relay.reports.received");
        using var opened = new MetricCollector<long>(null, RelayMetrics.MeterName, "relay.cases.opened");
        using var homeserver = new MetricCollector<double>(null, RelayMetrics.MeterName, "relay.homeserver.duration");
        await using var relay = await RelayHarness.StartAsync();
        var (alice, token) = relay.User("alice");
        var (mallory, _) = relay.User("mallory");
        var room = relay.Room(alice, mallory);
        var spam = relay.Message(room, mallory);

        await MatrixAssert.OkAsync(await relay.PostAsync(RelayHarness.EventReportPath(room, spam), token, new { reason = "spam" }));

        // Other tests run in parallel and count too: look for this report's measurements, not totals.
        Assert.Contains(reports.GetMeasurementSnapshot(), m =>
            m.Value == 1 && Equals(m.Tags["source"], "ClientEventReport") && Equals(m.Tags["target"], "event"));
        Assert.Contains(opened.GetMeasurementSnapshot(), m => Equals(m.Tags["target"], "event"));
        Assert.Contains(homeserver.GetMeasurementSnapshot(), m =>
            Equals(m.Tags["http.request.method"], "GET") && Equals(m.Tags["status_class"], "2xx") && m.Value > 0);
        Assert.All(reports.GetMeasurementSnapshot(), m => Assert.DoesNotContain(m.Tags.Values, v => Equals(v, "spam") || Equals(v, alice)));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task Exporters_are_registered_only_when_asked_for(bool console, bool expected)
    {
        string[] args = console ? ["--urls", "http://127.0.0.1:0", "--Relay:Telemetry:Console=true"] : ["--urls", "http://127.0.0.1:0"];
        await using var app = RelayApp.Build(args);

        Assert.Equal(expected, app.Services.GetService<TracerProvider>() is not null);
        Assert.Equal(expected, app.Services.GetService<MeterProvider>() is not null);
    }
}
