using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Relay.TestHomeserver.Http;

/// <summary>
/// The single request delegate: record, inject faults, route, authenticate, parse the body, run the handler,
/// and answer every refusal as a Matrix error (recording spec violations).
/// </summary>
internal sealed class HomeserverPipeline(HomeserverCore core, RouteTable routes)
{
    public async Task HandleAsync(HttpContext http)
    {
        var request = await RecordAsync(http);
        var fault = core.Faults.Take(request);
        switch (fault)
        {
            case AbortFault:
                http.Abort();
                return;
            case RateLimitedFault limited:
                http.Response.Headers.RetryAfter = ((limited.RetryAfterMs + 999) / 1000).ToString(CultureInfo.InvariantCulture);
                await WriteAsync(http, 429, new JsonObject
                {
                    ["errcode"] = "M_LIMIT_EXCEEDED",
                    ["error"] = "Too many requests (injected fault)",
                    ["retry_after_ms"] = limited.RetryAfterMs,
                }, truncate: false);
                return;
            case StatusFault status:
                await WriteAsync(http, status.StatusCode, new JsonObject
                {
                    ["errcode"] = "M_UNKNOWN",
                    ["error"] = $"Injected fault: status {status.StatusCode}",
                }, truncate: false);
                return;
            case DelayFault delay:
                await Task.Delay(delay.Duration, http.RequestAborted);
                break;
        }

        var (status2, body) = await RunAsync(http, request);
        await WriteAsync(http, status2, body, truncate: fault is TruncatedJsonFault);
    }

    private async Task<(int Status, JsonNode Body)> RunAsync(HttpContext http, RecordedRequest request)
    {
        try
        {
            var segments = request.RawPath.TrimStart('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
            var (route, values) = routes.Find(request.Method, segments);
            var context = new RequestContext(http, core, request, values);
            Authenticate(route, context);
            if (route.HasBody)
            {
                CheckContentType(request);
                context.Body = JsonBody.ParseObject(request.Body);
            }

            var result = await route.Handler(context);
            return (result.Status, result.Body);
        }
        catch (MatrixException e)
        {
            if (e.IsViolation)
            {
                core.Recorder.Violation(request, $"{e.Errcode}: {e.Message}");
            }

            return (e.Status, e.ToBody());
        }
    }

    private void Authenticate(Route route, RequestContext context)
    {
        if (route.Auth == AuthMode.None)
        {
            return;
        }

        var token = Auth.Authenticator.ReadToken(context.Http.Request);
        if (token is null)
        {
            if (route.Auth == AuthMode.Optional)
            {
                return;
            }

            throw MatrixException.MissingToken("Missing access token");
        }

        context.Caller = core.Authenticator.Resolve(token, context.Http.Request);
        if (route.Auth == AuthMode.Appservice && !context.Caller.IsAppservice)
        {
            throw MatrixException.Forbidden("Provided access token is not the appservice's as_token");
        }
    }

    /// <summary>Clients should send application/json; anything else is recorded but still served.</summary>
    private void CheckContentType(RecordedRequest request)
    {
        var ok = MediaTypeHeaderValue.TryParse(request.ContentType, out var media)
            && string.Equals(media.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);
        if (!ok)
        {
            core.Recorder.Violation(request, $"Content-Type is '{request.ContentType}', not application/json");
        }
    }

    private async Task<RecordedRequest> RecordAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.ToString();
        var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        var request = new RecordedRequest(
            http.Request.Method,
            Uri.UnescapeDataString(rawPath),
            rawPath,
            http.Request.QueryString.Value ?? "",
            http.Request.ContentType,
            buffer.ToArray(),
            core.Authenticator.TryResolveUser(http.Request),
            core.Options.TimeProvider.GetUtcNow());
        core.Recorder.Record(request);
        return request;
    }

    private static async Task WriteAsync(HttpContext http, int status, JsonNode body, bool truncate)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            body.WriteTo(writer);
        }

        var bytes = output.WrittenMemory;
        if (truncate)
        {
            bytes = bytes[..Math.Max(1, bytes.Length / 2)];
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }
}
