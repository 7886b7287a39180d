namespace Relay.Host.Configuration;

/// <summary><c>Relay__Telemetry__*</c>: read while the app is built (TelemetrySetup), listed here so the settings check knows it.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Relay:Telemetry";

    /// <summary>Also export traces and metrics to the console.</summary>
    public bool Console { get; set; }
}
