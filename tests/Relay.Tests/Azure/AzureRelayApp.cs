using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Relay.Core.Queue;
using Relay.Host.Composition;

namespace Relay.Tests.Azure;

/// <summary>
/// Relay as the Functions host runs it: the Azure runtime chosen by settings on the command line, Table
/// Storage on Azurite, and a <see cref="RecordingCaseQueue"/> in place of the Service Bus sender.
/// </summary>
public sealed class AzureRelayApp : IAsyncDisposable
{
    private AzureRelayApp(WebApplication app, RecordingCaseQueue queue)
    {
        App = app;
        Queue = queue;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public WebApplication App { get; }

    public RecordingCaseQueue Queue { get; }

    public HttpClient Client { get; }

    public static async Task<AzureRelayApp> StartAsync(AzuriteFixture azurite, Action<IServiceCollection>? services = null,
        string homeserverUrl = "http://127.0.0.1:9", string serverName = "example.org", string asToken = "as-token",
        string hsToken = "hs-token")
    {
        var queue = new RecordingCaseQueue();
        var app = RelayApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Relay:Storage:ConnectionString=" + azurite.ConnectionString,
            "--Relay:Storage:TablePrefix=" + AzuriteFixture.UniquePrefix(),
            "--Relay:ServiceBus:FullyQualifiedNamespace=relay-test.servicebus.windows.net",
            "--Relay:Homeserver:Url=" + homeserverUrl,
            "--Relay:Homeserver:ServerName=" + serverName,
            "--Relay:Appservice:AsToken=" + asToken,
            "--Relay:Appservice:HsToken=" + hsToken,
            "--Relay:Queue:MaxDeliveryCount=5",
            // An idle trim compacts the whole test host's heap; the Azure tests do not need one.
            "--Relay:Memory:IdleTrimSeconds=0",
        ], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<ICaseQueue>(queue);
            services?.Invoke(builder.Services);
        });
        await app.InitializeRelayAsync();
        await app.StartAsync();
        return new AzureRelayApp(app, queue);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
