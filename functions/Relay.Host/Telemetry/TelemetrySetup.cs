using System.Diagnostics;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Relay.Core.Telemetry;

namespace Relay.Host.Telemetry;

/// <summary>
/// OpenTelemetry traces and metrics (Relay's own <see cref="RelayMetrics"/>, incoming requests, calls to
/// the homeserver) exported to Application Insights when APPLICATIONINSIGHTS_CONNECTION_STRING is set
/// (with Entra ID when APPLICATIONINSIGHTS_AUTHENTICATION_STRING says Authorization=AAD, as Bicep sets
/// it), and to the console when Relay__Telemetry__Console=true. With neither, no exporter is registered.
/// </summary>
public static class TelemetrySetup
{
    public static WebApplicationBuilder AddRelayTelemetry(this WebApplicationBuilder builder)
    {
        // Every HttpClient from the factory talks to the homeserver (reporter checks, the bot).
        builder.Services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler(() => new HomeserverTimingHandler()));
        var connectionString = builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        var toAzure = !string.IsNullOrWhiteSpace(connectionString);
        var toConsole = bool.TryParse(builder.Configuration["Relay:Telemetry:Console"], out var console) && console;
        if (!toAzure && !toConsole)
        {
            return builder;
        }
        var useEntraId = builder.Configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]?
            .Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase) == true;
        void Exporter(AzureMonitorExporterOptions options)
        {
            options.ConnectionString = connectionString;
            if (useEntraId)
            {
                options.Credential = new DefaultAzureCredential();
            }
        }
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("relay"))
            .WithTracing(tracing =>
            {
                AddRelayTracing(tracing);
                if (toAzure)
                {
                    tracing.AddAzureMonitorTraceExporter(Exporter);
                }
                if (toConsole)
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(RelayMetrics.MeterName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (toAzure)
                {
                    metrics.AddAzureMonitorMetricExporter(Exporter);
                }
                if (toConsole)
                {
                    metrics.AddConsoleExporter();
                }
            });
        return builder;
    }

    /// <summary>
    /// Relay's traces: its own source, incoming requests and outgoing calls, with paths and queries redacted
    /// (<see cref="TelemetryRedaction"/>: a sign-in link's token is in its path).
    /// </summary>
    public static TracerProviderBuilder AddRelayTracing(TracerProviderBuilder tracing) =>
        tracing.AddSource(RelayMetrics.ActivitySourceName)
            .AddAspNetCoreInstrumentation(aspNet =>
            {
                aspNet.EnrichWithHttpRequest = TelemetryRedaction.IncomingRequest;
                aspNet.EnrichWithHttpResponse = TelemetryRedaction.IncomingResponse;
            })
            .AddHttpClientInstrumentation(http => http.EnrichWithHttpRequestMessage = TelemetryRedaction.Outgoing);

    /// <summary>Times each homeserver call into <c>relay.homeserver.duration</c>; no URL or token is recorded.</summary>
    private sealed class HomeserverTimingHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            var status = 0;
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                status = (int)response.StatusCode;
                return response;
            }
            finally
            {
                RelayMetrics.HomeserverCall(request.Method.Method, status, Stopwatch.GetElapsedTime(started));
            }
        }
    }
}
