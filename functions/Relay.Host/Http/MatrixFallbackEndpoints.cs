using Relay.Core.Errors;

namespace Relay.Host.Http;

/// <summary>
/// Matrix clients and homeservers expect Matrix errors, not empty 404s: unknown paths answer
/// 404 M_UNRECOGNIZED, known paths with the wrong method 405 M_UNRECOGNIZED.
/// </summary>
public static class MatrixFallbackEndpoints
{
    public static IApplicationBuilder UseMatrixStatusErrors(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            await next(context);
            var response = context.Response;
            if (response.HasStarted || response.ContentLength is > 0 || response.ContentType is not null)
            {
                return;
            }
            var error = response.StatusCode switch
            {
                404 => MatrixError.Unrecognized("Unrecognized request."),
                405 => MatrixError.Unrecognized("Method not allowed on this path.", 405),
                413 => MatrixError.TooLarge("The request body is too large."),
                _ => null,
            };
            if (error is not null)
            {
                await new MatrixErrorResult(error).ExecuteAsync(context);
            }
        });

    /// <summary>
    /// Turns what escapes a handler into a Matrix error without a stack trace. Store outages say so;
    /// anything else is logged (without request data) and answered 500 M_UNKNOWN.
    /// </summary>
    public static IApplicationBuilder UseMatrixExceptionHandling(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                var error = Classify(e, context);
                context.Response.Clear();
                await new MatrixErrorResult(error).ExecuteAsync(context);
            }
        });

    private static MatrixError Classify(Exception e, HttpContext context)
    {
        switch (e)
        {
            case MatrixException matrix:
                return matrix.Error;
            case BadHttpRequestException bad when bad.StatusCode == 413:
                return MatrixError.TooLarge("The request body is too large.");
            case BadHttpRequestException bad:
                return new MatrixError(bad.StatusCode, "M_BAD_JSON", "The request could not be read.");
            case Core.Reports.ConcurrencyConflictException:
                return MatrixError.StoreUnavailable();
            default:
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Relay.Http");
                if (IsStoreFailure(e))
                {
                    logger.LogError("Store unavailable: {ErrorType}", e.GetType().Name);
                    return MatrixError.StoreUnavailable();
                }
                logger.LogError("Unhandled {ErrorType} in {Method} {Endpoint}", e.GetType().Name,
                    context.Request.Method, context.GetEndpoint()?.DisplayName ?? "(no endpoint)");
                return new MatrixError(500, "M_UNKNOWN", "Internal error; nothing was recorded.");
        }
    }

    private static bool IsStoreFailure(Exception e) => e is System.Data.Common.DbException or global::Azure.RequestFailedException;
}
