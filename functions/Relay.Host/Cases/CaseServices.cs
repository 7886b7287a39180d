using Microsoft.Extensions.Options;
using Relay.Core.Cases.Actions;
using Relay.Core.Cases.Rooms;
using Relay.Core.Cases.Threshold;
using Relay.Core.Queue;
using Relay.Host.Configuration;

namespace Relay.Host.Cases;

/// <summary>Case rooms and moderator actions: the report.received handler, the case-room event entry point and their helpers.</summary>
public static class CaseServices
{
    public static IServiceCollection AddCaseRooms(this IServiceCollection services)
    {
        services.AddSingleton(sp => CaseRoomOptionsValidation.ToSettings(sp.GetRequiredService<IOptions<RelayOptions>>().Value));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RelayOptions>>().Value.Cases.ToGrouping());
        services.AddSingleton<ModeratorDirectory>();
        services.AddSingleton<CaseMembership>();
        services.AddSingleton<CaseAnnouncer>();
        services.AddSingleton<CaseRoomBudget>();
        services.AddSingleton<IncidentRooms>();
        services.AddSingleton<ThresholdRedactions>();
        services.AddSingleton<OpenCase>();
        services.AddSingleton<IQueueHandler>(sp => sp.GetRequiredService<OpenCase>());
        services.AddSingleton<NotifyReporter>();
        services.AddSingleton<IQueueHandler>(sp => sp.GetRequiredService<NotifyReporter>());
        services.AddSingleton<CaseFollowUp>();
        services.AddSingleton<CaseRoomEvents>();
        return services;
    }
}
