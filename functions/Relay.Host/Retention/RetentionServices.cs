using Microsoft.Extensions.Options;
using Relay.Core.Escalation;
using Relay.Core.Retention;
using Relay.Core.Statistics;
using Relay.Core.Sweep;

namespace Relay.Host.Retention;

/// <summary>
/// The data lifecycle, for both runtimes: the retention options, the sweep parts that delete closed cases and expired
/// evidence, and <see cref="CaseStatistics"/> (the dashboard's figures and the transparency report). The store ports
/// (<see cref="ICaseRetentionStore"/>, <see cref="ICaseActivityStore"/>, <see cref="IEvidenceStore"/>) come from the runtime.
/// </summary>
public static class RetentionServices
{
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
        services.AddSingleton(sp => new RetentionSettings(
            TimeSpan.FromDays(sp.GetRequiredService<IOptions<RetentionOptions>>().Value.ClosedCaseDays)));
        services.AddSingleton<ISweepPart, ClosedCaseRetentionSweep>();
        services.AddSingleton<ISweepPart, EvidenceRetentionSweep>();
        services.AddSingleton<CaseStatistics>();
        return services;
    }
}
