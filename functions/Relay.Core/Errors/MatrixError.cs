namespace Relay.Core.Errors;

/// <summary>
/// A Matrix standard error response: HTTP status, <c>errcode</c>, human-readable <c>error</c>,
/// and <c>retry_after_ms</c> for rate limits. The one error vocabulary of Relay.
/// </summary>
public sealed record MatrixError(int Status, string ErrCode, string Message, long? RetryAfterMs = null)
{
    public static MatrixError NotJson(string message) => new(400, "M_NOT_JSON", message);

    public static MatrixError BadJson(string message) => new(400, "M_BAD_JSON", message);

    public static MatrixError InvalidParam(string message) => new(400, "M_INVALID_PARAM", message);

    public static MatrixError MissingToken() =>
        new(401, "M_MISSING_TOKEN", "Missing access token: send it as 'Authorization: Bearer <token>'.");

    public static MatrixError UnknownToken() =>
        new(401, "M_UNKNOWN_TOKEN", "The homeserver did not recognise the access token.");

    public static MatrixError Forbidden(string message) => new(403, "M_FORBIDDEN", message);

    public static MatrixError NotFound(string message) => new(404, "M_NOT_FOUND", message);

    public static MatrixError Unrecognized(string message, int status = 404) => new(status, "M_UNRECOGNIZED", message);

    public static MatrixError TooLarge(string message) => new(413, "M_TOO_LARGE", message);

    public static MatrixError LimitExceeded(TimeSpan retryAfter) =>
        new(429, "M_LIMIT_EXCEEDED", "Too many reports; try again later.",
            Math.Max(1, (long)Math.Ceiling(retryAfter.TotalMilliseconds)));

    /// <summary>The homeserver Relay depends on did not answer usefully; the client may retry.</summary>
    public static MatrixError HomeserverUnavailable() =>
        new(502, "M_UNKNOWN", "The homeserver could not be reached; try again later.");

    public static MatrixError StoreUnavailable() =>
        new(503, "M_UNKNOWN", "Relay cannot store reports right now; nothing was recorded. Try again later.");
}
