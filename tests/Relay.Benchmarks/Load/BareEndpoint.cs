using System.Buffers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Relay.Benchmarks.Load;

/// <summary>
/// Figure 1's baseline: Kestrel in the same process shape as Relay (slim builder, loopback, no logs) serving
/// the report route by reading the whole body and answering <c>{}</c>.
/// </summary>
public sealed class BareEndpoint : IAsyncDisposable
{
    private static readonly byte[] Empty = "{}"u8.ToArray();

    private readonly WebApplication _app;

    private BareEndpoint(WebApplication app)
    {
        _app = app;
        BaseAddress = new Uri(app.Urls.First());
    }

    public Uri BaseAddress { get; }

    public static async Task<BareEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        var app = builder.Build();
        app.MapPost("/_matrix/client/v3/rooms/{roomId}/report/{eventId}", async (HttpContext http) =>
        {
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                while (await http.Request.Body.ReadAsync(buffer, http.RequestAborted) > 0)
                {
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            http.Response.ContentType = "application/json";
            await http.Response.Body.WriteAsync(Empty, http.RequestAborted);
        });
        await app.StartAsync();
        return new BareEndpoint(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
