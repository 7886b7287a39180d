using Microsoft.Extensions.Options;
using Relay.Host.Appservice;
using Relay.Host.Configuration;
using Relay.Host.Dashboard;
using Relay.Host.Functions;
using Relay.Host.Health;
using Relay.Host.Http;
using Relay.Host.Memory;
using Relay.Host.Reports;
using Relay.Host.Telemetry;
using Relay.Host.WebForm;

namespace Relay.Host.Composition;

/// <summary>Builds the one Relay web application; <c>relay serve</c> and the tests both start it this way.</summary>
public static class RelayApp
{
    /// <summary>Appservice transactions can be large; report endpoints enforce their own 64 KiB.</summary>
    public const long MaxRequestBodyBytes = 4 * 1024 * 1024;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        KeepSecretsOutOfLogs(builder.Logging);
        var urls = ListenAddress.Choose(builder.Configuration["FUNCTIONS_CUSTOMHANDLER_PORT"], builder.Configuration["urls"]);
        if (urls is not null)
        {
            builder.WebHost.UseUrls(urls);
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });
        builder.Services.AddSingleton<StoreReadiness>();
        builder.Services.AddRelayCore();
        builder.Services.AddIdleMemoryTrim();
        builder.AddRelayTelemetry();
        // Chosen from the configuration known here (command line, environment, appsettings.json), before
        // `configure` runs, so that tests can still replace what the runtime registered.
        var azure = AzureRuntime.IsSelected(builder.Configuration);
        if (azure)
        {
            builder.Services.AddAzureRuntime();
        }
        else
        {
            builder.Services.AddEmbeddedRuntime();
        }
        builder.Services.AddRelayAppservice();
        builder.Services.AddRelayWebForm();
        builder.Services.AddRelayDashboard();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseWorkInFlight();
        app.UseStoreReadiness();
        app.UseForwardedForIfTrusted();
        app.UseMatrixExceptionHandling();
        app.UseMatrixStatusErrors();
        app.MapHealth();
        app.MapReports();
        app.MapAppservice();
        app.MapWebForm();
        if (DashboardEndpoints.IsEnabled(app.Configuration))
        {
            app.MapDashboard();
        }
        if (azure)
        {
            app.MapFunctionTriggers();
        }
        return app;
    }

    /// <summary>Validates configuration (throwing <see cref="OptionsValidationException"/>) and prepares the store.</summary>
    public static async Task InitializeRelayAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        app.ValidateRelayOptions();
        await app.PrepareStoreAsync(cancellationToken);
    }

    /// <summary>
    /// Throws <see cref="OptionsValidationException"/> naming every setting to fix; warns about unknown settings and logs
    /// the settings in effect (secrets redacted) once (<see cref="SettingsCheck"/>).
    /// </summary>
    public static void ValidateRelayOptions(this WebApplication app)
    {
        // Before any options are bound: the binder's own message for "ture" names neither the variable nor the fix.
        var failures = SettingsCheck.Failures(app.Configuration);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(RelayOptions.Section, typeof(RelayOptions), failures);
        }
        _ = app.Services.GetRequiredService<IOptions<RelayOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<MemoryOptions>>().Value;
        if (AzureRuntime.IsSelected(app.Configuration))
        {
            _ = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        }
        SettingsCheck.Run(app.Configuration, app.Services, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Relay.Settings"));
    }

    /// <summary>Migrates the SQLite file or creates the Azure tables, and then lets requests and workers through.</summary>
    public static Task PrepareStoreAsync(this WebApplication app, CancellationToken cancellationToken = default) =>
        app.Services.GetRequiredService<StoreReadiness>().PrepareAsync(() => AzureRuntime.IsSelected(app.Configuration)
            ? app.Services.InitializeAzureRuntimeAsync(cancellationToken)
            : app.Services.InitializeEmbeddedRuntimeAsync(cancellationToken));

    /// <summary>
    /// ASP.NET's request logs carry query strings (where a deprecated ?access_token= would sit) and
    /// HttpClient's carry URLs; neither is needed to run Relay, so both stay at Warning.
    /// </summary>
    private static void KeepSecretsOutOfLogs(ILoggingBuilder logging)
    {
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        logging.AddFilter("Microsoft.Extensions.Http", LogLevel.Warning);
    }
}
