using System.Buffers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Relay.Benchmarks.Load;

/// <summary>
/// Figure 1's baselines: Kestrel in the same process shape as Relay (slim builder, loopback, no logs) serving the report
/// route by reading the whole body and answering <c>{}</c>. With a homeserver, it also makes the one request any correct
/// relay must make first: the reported event, fetched with the reporter's own token (it proves the reporter can see it);
/// a fetch that fails is answered 404, as a report of an unknown event is.
/// </summary>
public sealed class BareEndpoint : IAsyncDisposable
{
    private static readonly byte[] Empty = "{}"u8.ToArray();

    private readonly WebApplication _app;
    private readonly HttpClient? _homeserver;

    private BareEndpoint(WebApplication app, HttpClient? homeserver)
    {
        _app = app;
        _homeserver = homeserver;
        BaseAddress = new Uri(app.Urls.First());
    }

    public Uri BaseAddress { get; }

    /// <param name="fetchFrom">The homeserver to fetch each reported event from, or null for no fetch.</param>
    public static async Task<BareEndpoint> StartAsync(Uri? fetchFrom = null)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        var app = builder.Build();
        // Pooled connections without a limit, as Relay's homeserver client has.
        var homeserver = fetchFrom is null ? null : new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = fetchFrom,
        };
        app.MapPost("/_matrix/client/v3/rooms/{roomId}/report/{eventId}", async (HttpContext http, string roomId, string eventId) =>
        {
            await DrainAsync(http);
            if (homeserver is not null && !await FetchAsync(homeserver, http, roomId, eventId))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
            }
            http.Response.ContentType = "application/json";
            await http.Response.Body.WriteAsync(Empty, http.RequestAborted);
        });
        await app.StartAsync();
        return new BareEndpoint(app, homeserver);
    }

    private static async Task DrainAsync(HttpContext http)
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
    }

    private static async Task<bool> FetchAsync(HttpClient homeserver, HttpContext http, string roomId, string eventId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/event/{Uri.EscapeDataString(eventId)}");
        request.Headers.TryAddWithoutValidation("Authorization", http.Request.Headers.Authorization.ToString());
        using var response = await homeserver.SendAsync(request, http.RequestAborted);
        await response.Content.LoadIntoBufferAsync(http.RequestAborted);
        return response.IsSuccessStatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _homeserver?.Dispose();
    }
}
