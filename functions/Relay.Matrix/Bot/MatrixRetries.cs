using System.Text.Json.Nodes;
using Polly;
using Polly.Retry;
using Relay.Core.Errors;

namespace Relay.Matrix.Bot;

/// <summary>One try of a homeserver call: its answer, or its error with whether and when to try again.</summary>
internal sealed record MatrixAttempt(JsonObject? Body, MatrixError? Error, bool Retryable, TimeSpan? RetryAfter);

/// <summary>
/// The bot's retries as a Polly pipeline: 429s, 5xx (unless the call says otherwise), timeouts and lost connections,
/// at most <see cref="MatrixBotOptions.MaxAttempts"/> tries. A 429 waits what the homeserver asked
/// (<c>retry_after_ms</c>, else Retry-After); anything else waits an exponential step with "equal jitter" (half the step
/// plus a random part of the other half). Every wait is capped by <see cref="MatrixBotOptions.MaxDelay"/> and runs on the
/// injected clock.
/// </summary>
internal static class MatrixRetries
{
    public static ResiliencePipeline<MatrixAttempt> Pipeline(MatrixBotOptions options, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder<MatrixAttempt> { TimeProvider = time };
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<MatrixAttempt>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e
                    ? IsTransient(e, args.Context.CancellationToken)
                    : args.Outcome.Result?.Retryable == true),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Wait(options, args.AttemptNumber + 1, args.Outcome.Result?.RetryAfter)),
            });
        }
        return builder.Build();
    }

    /// <summary>The wait after try <paramref name="attempt"/> (1-based).</summary>
    public static TimeSpan Wait(MatrixBotOptions options, int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked)
        {
            return asked < options.MaxDelay ? asked : options.MaxDelay;
        }
        var step = options.BaseDelay * Math.Pow(2, attempt - 1);
        step = step < options.MaxDelay ? step : options.MaxDelay;
        return step / 2 + step / 2 * options.Jitter();
    }

    public static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException
        || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested);
}
