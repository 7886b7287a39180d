using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Relay.Core;
using Relay.Core.Homeserver;
using Relay.Core.Memory;
using Relay.Core.Reports;
using Relay.Host.Bot;
using Relay.Host.Cases;
using Relay.Host.Configuration;
using Relay.Host.Escalation;
using Relay.Host.Reports;
using Relay.Host.Retention;
using Relay.Matrix.Client;

namespace Relay.Host.Composition;

/// <summary>The runtime-independent part of Relay: options, the domain services, the homeserver client.</summary>
public static class CoreServices
{
    public static IServiceCollection AddRelayCore(this IServiceCollection services)
    {
        services.AddOptions<RelayOptions>().BindConfiguration(RelayOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RelayOptions>, RelayOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<UlidGenerator>();
        services.AddSingleton(sp => CreateHasher(sp.GetRequiredService<IOptions<RelayOptions>>().Value));
        services.AddSingleton(sp =>
        {
            var reports = sp.GetRequiredService<IOptions<RelayOptions>>().Value.Reports;
            return IntakeLimits.PerMinute(reports.PerReporterPerMinute, reports.PerRoomPerMinute,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<CacheLimits>().RateLimitKeys);
        });
        services.AddSingleton<ReportIntake>();
        services.AddSingleton(sp => new ReporterAuthenticator(
            sp.GetRequiredService<IHomeserver>(), sp.GetRequiredService<TimeProvider>(),
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<RelayOptions>>().Value.Reports.WhoAmICacheSeconds),
            sp.GetRequiredService<CacheLimits>().WhoAmIEntries));
        services.AddSingleton<ComplaintTargetResolver>();
        services.AddSingleton<ClientReports>();
        // A named client and a factory instead of AddHttpClient<IHomeserver, HomeserverClient>: typed clients are built by
        // ActivatorUtilities.CreateFactory, which compiles an expression tree and keeps System.Linq.Expressions resident
        // (~2.4 MiB, benchmark figure 5) for one constructor call.
        services.AddHttpClient(nameof(IHomeserver), (sp, http) =>
        {
            var homeserver = sp.GetRequiredService<IOptions<RelayOptions>>().Value.Homeserver;
            http.BaseAddress = new Uri(homeserver.Url!.TrimEnd('/') + "/");
            http.Timeout = TimeSpan.FromSeconds(homeserver.TimeoutSeconds);
        });
        services.AddTransient<IHomeserver>(sp => new HomeserverClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(IHomeserver))));
        services.AddMatrixBot();
        services.AddCaseRooms();
        services.AddEscalation();
        services.AddRetention();
        return services;
    }

    /// <summary>Without an explicit key, derive one from the hs_token: a secret every deployment already has.</summary>
    private static ReporterHasher CreateHasher(RelayOptions options)
    {
        var secret = options.Data.ReporterHashKey ?? "relay reporter hash v1\n" + options.Appservice.HsToken;
        return new ReporterHasher(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }
}
