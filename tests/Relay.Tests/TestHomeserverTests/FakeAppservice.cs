using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Relay.Tests.TestHomeserverTests;

/// <summary>A tiny loopback listener standing in for Relay's appservice endpoints in the self-tests.</summary>
internal sealed class FakeAppservice : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeAppservice(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public ConcurrentQueue<(string Method, string Path, string? Authorization, string Body)> Received { get; } = new();

    public int Status { get; set; } = 200;

    public string ResponseBody { get; set; } = "{}";

    public TimeSpan Delay { get; set; }

    public static async Task<FakeAppservice> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeAppservice? self = null;
        app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            self!.Received.Enqueue((http.Request.Method, http.Request.Path.Value ?? "", http.Request.Headers.Authorization.ToString(), body));
            if (self.Delay > TimeSpan.Zero)
            {
                await Task.Delay(self.Delay, http.RequestAborted);
            }

            http.Response.StatusCode = self.Status;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(self.ResponseBody);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        self = new FakeAppservice(app, new Uri(address));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
