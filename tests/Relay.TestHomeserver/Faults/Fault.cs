namespace Relay.TestHomeserver;

/// <summary>What a matching request gets instead of (or before) its normal answer.</summary>
public abstract record Fault
{
    private protected Fault()
    {
    }

    /// <summary>429 M_LIMIT_EXCEEDED with retry_after_ms and a Retry-After header (whole seconds, rounded up).</summary>
    public static Fault RateLimited(int retryAfterMs) => new RateLimitedFault(retryAfterMs);

    /// <summary>The given status with an M_UNKNOWN body, e.g. 500, 502, 503.</summary>
    public static Fault Status(int statusCode) => new StatusFault(statusCode);

    /// <summary>Waits, then answers normally.</summary>
    public static Fault Delay(TimeSpan delay) => new DelayFault(delay);

    /// <summary>Handles the request normally but sends only the first half of the JSON body (status 200 when the answer was 200).</summary>
    public static Fault TruncatedJson { get; } = new TruncatedJsonFault();

    /// <summary>Closes the connection without any response; the request is not handled.</summary>
    public static Fault Abort { get; } = new AbortFault();
}

public sealed record RateLimitedFault(int RetryAfterMs) : Fault;

public sealed record StatusFault(int StatusCode) : Fault;

public sealed record DelayFault(TimeSpan Duration) : Fault;

public sealed record TruncatedJsonFault : Fault;

public sealed record AbortFault : Fault;
