using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Relay.TestHomeserver.Appservice;
using Relay.TestHomeserver.Http;

namespace Relay.TestHomeserver.Endpoints;

/// <summary>appservice_ping.yaml: the homeserver pings {AppserviceUrl}/_matrix/app/v1/ping with the hs_token and reports how it went.</summary>
internal static class AppservicePingEndpoints
{
    public static RouteTable MapAppservicePing(this RouteTable routes) =>
        routes.Client("POST", "appservice/{appserviceId}/ping", AuthMode.Appservice, Ping, "v1");

    private static async Task<RouteResult> Ping(RequestContext context)
    {
        var transactionId = context.Body.OptionalString("transaction_id");
        if (context.Param("appserviceId") != context.Core.Appservice.Id)
        {
            throw MatrixException.Forbidden("Provided access token is not the as_token of that appservice");
        }

        if (context.Core.AppserviceUrl is null)
        {
            throw new MatrixException(400, "M_URL_NOT_SET", "Application service doesn't have a URL configured");
        }

        var body = transactionId is null ? [] : new JsonObject { ["transaction_id"] = transactionId };
        using var request = new AppserviceClient(context.Core).Request(HttpMethod.Post, "_matrix/app/v1/ping", body);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.Http.RequestAborted);
        timeout.CancelAfter(context.Core.Options.PingTimeout);
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await context.Core.AppserviceHttp.SendAsync(request, timeout.Token);
        }
        catch (OperationCanceledException) when (!context.Http.RequestAborted.IsCancellationRequested)
        {
            throw new MatrixException(504, "M_CONNECTION_TIMEOUT", "Connection to application service timed out");
        }
        catch (HttpRequestException e)
        {
            throw new MatrixException(502, "M_CONNECTION_FAILED", $"Connection to application service failed: {e.Message}");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                throw new MatrixException(502, "M_BAD_STATUS", $"Ping returned status {status.ToString(CultureInfo.InvariantCulture)}",
                    extra: new JsonObject { ["status"] = status, ["body"] = text });
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            return new JsonObject { ["duration_ms"] = (long)elapsed.TotalMilliseconds };
        }
    }
}
