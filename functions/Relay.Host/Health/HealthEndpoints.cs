using Microsoft.AspNetCore.Http.HttpResults;
using Relay.Core;
using Relay.Host.Http;

namespace Relay.Host.Health;

/// <summary><c>GET /</c> is the Functions host's readiness probe; <c>/healthz</c> says which store and queue run.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => TypedResults.Ok());
        app.MapGet("/healthz", CheckAsync);
        return app;
    }

    private static async Task<JsonHttpResult<HealthResponse>> CheckAsync(IStoreHealth health, CancellationToken cancellationToken)
    {
        bool reachable;
        try
        {
            reachable = await health.IsReachableAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            reachable = false;
        }
        var body = new HealthResponse(reachable ? "ok" : "store unreachable", health.StoreName, health.QueueName);
        return TypedResults.Json(body, HostJson.Context.HealthResponse,
            statusCode: reachable ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
