using Relay.Core.Errors;

namespace Relay.Host.Http;

/// <summary>A Matrix error as an HTTP result: status, <c>{"errcode","error"}</c>, and Retry-After for 429.</summary>
public sealed class MatrixErrorResult(MatrixError error) : IResult, IStatusCodeHttpResult
{
    public MatrixError Error { get; } = error;

    public int? StatusCode => Error.Status;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = Error.Status;
        if (Error.RetryAfterMs is { } ms)
        {
            response.Headers.RetryAfter = Math.Max(1, (ms + 999) / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var body = new MatrixErrorBody(Error.ErrCode, Error.Message, Error.RetryAfterMs);
        return response.WriteAsJsonAsync(body, HostJson.Context.MatrixErrorBody);
    }
}

public static class MatrixResults
{
    public static MatrixErrorResult Error(MatrixError error) => new(error);

    public static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<EmptyObject> Empty() =>
        TypedResults.Json(new EmptyObject(), HostJson.Context.EmptyObject);
}
