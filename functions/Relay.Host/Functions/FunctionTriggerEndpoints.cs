using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Relay.Azure.ServiceBus;
using Relay.Core.Errors;
using Relay.Core.Sweep;
using Relay.Core.Telemetry;

namespace Relay.Host.Functions;

/// <summary>
/// <para>
/// The non-HTTP Azure functions as the custom-handler model delivers them: the Functions host posts
/// <c>{"Data":…,"Metadata":…}</c> to <c>/{FunctionName}</c> and reads
/// <c>{"Outputs":{},"Logs":[],"ReturnValue":null}</c> back; any non-2xx fails the invocation (Service Bus
/// then redelivers, and dead-letters past the queue's max delivery count). One route per row of
/// <see cref="QueueBindings"/>, plus <c>/Sweep</c> for the timer. Function names never start with
/// <c>_matrix</c>, so these routes cannot shadow a Matrix path.
/// </para>
/// <para>
/// The HTTP functions route only the public surface (<c>_matrix/…</c>, <c>_relay/…</c>, <c>report</c>,
/// <c>healthz</c> and the legacy appservice paths; functions/*/function.json, checked by FunctionRoutesTests),
/// so the front end never proxies an outside request to <c>/OpenCase</c>. As a second guard, the host's own
/// invocations come from loopback carrying <c>X-Azure-Functions-InvocationId</c> and no forwarding headers,
/// while a proxied outside request carries the front end's <c>X-Forwarded-For</c>/<c>X-ARR-LOG-ID</c>; those
/// are answered 404 like any unknown path. Handlers check stored state besides (DeliverEscalation sends only
/// for a tier the open case reached), so a forged invocation could at worst repeat work.
/// </para>
/// </summary>
public static class FunctionTriggerEndpoints
{
    public const string SweepFunction = "Sweep";

    public const string InvocationIdHeader = "X-Azure-Functions-InvocationId";

    private static readonly string[] ForwardingHeaders =
        ["X-Forwarded-For", "X-Original-For", "X-Forwarded-Host", "Forwarded", "X-ARR-LOG-ID", "X-Original-URL", "Client-IP"];

    public static IEndpointRouteBuilder MapFunctionTriggers(this IEndpointRouteBuilder app)
    {
        foreach (var binding in QueueBindings.All)
        {
            app.MapPost("/" + binding.FunctionName, (RequestDelegate)(context => RunQueueTriggerAsync(context, binding)));
        }
        app.MapPost("/" + SweepFunction, (RequestDelegate)RunSweepAsync);
        return app;
    }

    private static async Task RunQueueTriggerAsync(HttpContext context, QueueBinding binding)
    {
        if (await ReadInvocationAsync(context) is not { } invocation)
        {
            return;
        }
        var dispatcher = context.RequestServices.GetRequiredService<QueueTriggerDispatcher>();
        var logger = Logger(context);
        var delivery = dispatcher.DeliveryFor(binding, invocation, context.Request.Headers[InvocationIdHeader]);
        using var activity = RelayMetrics.ActivitySource.StartActivity(binding.FunctionName, ActivityKind.Consumer);
        activity?.SetTag("messaging.system", "servicebus");
        activity?.SetTag("messaging.destination.name", binding.QueueName);
        activity?.SetTag("messaging.message.id", delivery.Message.Id);
        try
        {
            await dispatcher.DispatchAsync(delivery, context.RequestAborted);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            // Message bodies and exception messages may hold report data: log the type, or a homeserver failure's
            // errcode, status and step.
            logger.LogWarning("{Function} failed delivery {DeliveryCount} of message {MessageId} with {Failure}{Last}",
                binding.FunctionName, delivery.DeliveryCount, delivery.Message.Id, MatrixException.Describe(e),
                delivery.IsLastAttempt ? "; it will be dead-lettered" : "; Service Bus will redeliver it");
            await RespondAsync(context, StatusCodes.Status500InternalServerError, $"{binding.FunctionName} failed: {e.GetType().Name}");
            return;
        }
        await RespondAsync(context, StatusCodes.Status200OK, null);
    }

    private static async Task RunSweepAsync(HttpContext context)
    {
        if (await ReadInvocationAsync(context) is null)
        {
            return;
        }
        using var activity = RelayMetrics.ActivitySource.StartActivity(SweepFunction);
        var results = await context.RequestServices.GetRequiredService<SweepRunner>().RunAsync(context.RequestAborted);
        var logger = Logger(context);
        var failed = 0;
        foreach (var result in results)
        {
            if (result.Error is { } error)
            {
                failed++;
                logger.LogWarning("Sweep part {Part} failed with {ErrorType}", result.Part, error.GetType().Name);
            }
            else if (result.Handled > 0)
            {
                logger.LogInformation("Sweep part {Part} handled {Count} item(s)", result.Part, result.Handled);
            }
        }
        await RespondAsync(context, failed == 0 ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError,
            failed == 0 ? null : $"{failed} sweep part(s) failed");
    }

    /// <summary>Null after answering when the request is not a host invocation or not a readable payload.</summary>
    private static async Task<FunctionInvocation?> ReadInvocationAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (!headers.ContainsKey(InvocationIdHeader) || ForwardingHeaders.Any(headers.ContainsKey))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return null;
        }
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (FunctionInvocation.Parse(document) is { } invocation)
            {
                return invocation;
            }
        }
        catch (JsonException)
        {
        }
        await RespondAsync(context, StatusCodes.Status400BadRequest, "The invocation is not {\"Data\":…,\"Metadata\":…} JSON.");
        return null;
    }

    private static Task RespondAsync(HttpContext context, int status, string? log)
    {
        context.Response.StatusCode = status;
        var result = new InvocationResult(new Dictionary<string, string>(), log is null ? [] : [log], null);
        return context.Response.WriteAsJsonAsync(result, FunctionsJsonContext.Default.InvocationResult, cancellationToken: context.RequestAborted);
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Relay.Functions");
}

/// <summary>The custom-handler invocation response; <c>ReturnValue</c> is written as null, not omitted.</summary>
public sealed record InvocationResult(
    [property: JsonPropertyName("Outputs")] Dictionary<string, string> Outputs,
    [property: JsonPropertyName("Logs")] string[] Logs,
    [property: JsonPropertyName("ReturnValue")] string? ReturnValue);

[JsonSerializable(typeof(InvocationResult))]
public sealed partial class FunctionsJsonContext : JsonSerializerContext;
