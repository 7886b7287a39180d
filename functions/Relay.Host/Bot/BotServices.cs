using Microsoft.Extensions.Options;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Host.Configuration;
using Relay.Matrix.Bot;

namespace Relay.Host.Bot;

/// <summary>Registers <see cref="IMatrixBot"/>: the appservice bot, <c>@{SenderLocalpart}:{ServerName}</c>, with the as_token.</summary>
public static class BotServices
{
    public static IServiceCollection AddMatrixBot(this IServiceCollection services)
    {
        services.AddSingleton(sp => BotOptions(sp.GetRequiredService<IOptions<RelayOptions>>().Value));
        // Named client and factory, not a typed client: see AddRelayCore's homeserver client for why.
        services.AddHttpClient(nameof(IMatrixBot), (sp, http) =>
        {
            var homeserver = sp.GetRequiredService<IOptions<RelayOptions>>().Value.Homeserver;
            http.BaseAddress = new Uri(homeserver.Url!.TrimEnd('/') + "/");
            http.Timeout = TimeSpan.FromSeconds(homeserver.TimeoutSeconds);
        });
        services.AddTransient<IMatrixBot>(sp => new MatrixBot(sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(IMatrixBot)),
            sp.GetRequiredService<MatrixBotOptions>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    public static UserId BotUserId(RelayOptions options) =>
        UserId.Parse($"@{options.Appservice.SenderLocalpart}:{options.Homeserver.ServerName}");

    private static MatrixBotOptions BotOptions(RelayOptions options) =>
        new(options.Appservice.AsToken!, BotUserId(options), options.Appservice.Id);
}
