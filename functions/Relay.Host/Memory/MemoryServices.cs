using Microsoft.Extensions.Options;
using Relay.Core.Memory;

namespace Relay.Host.Memory;

/// <summary>
/// The idle trim, for both runtimes: every HTTP request is counted (in Azure, queue triggers arrive as HTTP posts too),
/// the embedded queue counts its deliveries, and the runtime registers its <see cref="IIdleMemoryRelease"/> adapters.
/// </summary>
public static class MemoryServices
{
    public static IServiceCollection AddIdleMemoryTrim(this IServiceCollection services)
    {
        services.AddOptions<MemoryOptions>().BindConfiguration(MemoryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MemoryOptions>, MemoryOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<MemoryOptions>>().Value.Limits());
        services.AddSingleton<WorkInFlight>();
        services.AddHostedService<IdleMemoryTrimmer>();
        return services;
    }

    /// <summary>First in the pipeline, so a request counts until its response is written.</summary>
    public static IApplicationBuilder UseWorkInFlight(this IApplicationBuilder app)
    {
        var work = app.ApplicationServices.GetRequiredService<WorkInFlight>();
        return app.Use(async (context, next) =>
        {
            using var _ = work.Begin();
            await next(context);
        });
    }
}
