using Microsoft.Extensions.Options;
using Relay.Core.Appservice;
using Relay.Core.Identifiers;
using Relay.Core.Queue;
using Relay.Host.Bot;
using Relay.Host.Composition;
using Relay.Host.Configuration;

namespace Relay.Host.Appservice;

/// <summary>The appservice: its endpoints' services and the queue handlers for invites and report follow-ups.</summary>
public static class AppserviceServices
{
    public static IServiceCollection AddRelayAppservice(this IServiceCollection services)
    {
        services.AddSingleton(sp => new HsTokenAuth(sp.GetRequiredService<IOptions<RelayOptions>>().Value.Appservice.HsToken!));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RelayOptions>>().Value;
            return new TransactionReader(BotServices.BotUserId(options), options.Appservice.ReportReactionKey);
        });
        services.AddSingleton<TransactionProcessor>();
        services.AddSingleton<AppserviceTransactions>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RelayOptions>>().Value;
            var admins = sp.GetRequiredService<IOptions<Escalation.CommunityAdminsOptions>>().Value.Admins;
            var trusted = options.Community.Moderators.Concat(admins)
                .Select(u => UserId.TryParse(u?.Trim(), out var id) ? id : (UserId?)null).OfType<UserId>().ToHashSet();
            var servers = options.Community.ProtectServers.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).ToList();
            return new ProtectionPolicy(trusted, servers.Count > 0 ? servers : [options.Homeserver.ServerName!]);
        });
        services.AddSingleton<IQueueHandler, BotInviteHandler>();
        services.AddSingleton<IQueueHandler, ReportFollowUpHandler>();
        services.AddHostedService<StartupPing>();
        services.AddSingleton<ProtectionNotices>();
        services.AddSingleton<IRoomProtection>(sp => sp.GetRequiredService<ProtectionNotices>());
        services.AddSingleton<ProtectionOverviewOnStart>();
        services.AddHostedService<StartWhenStoreReady<ProtectionOverviewOnStart>>();
        return services;
    }
}
