using Relay.Core.Identifiers;

namespace Relay.Matrix.Bot;

/// <summary>Who the bot is and how patiently it retries.</summary>
public sealed record MatrixBotOptions(string AsToken, UserId BotUser, string AppserviceId)
{
    /// <summary>Attempts per call, the first included; 429s, 5xx, timeouts and connection failures are retried.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>First backoff after a 5xx or a failed connection; doubles each time, capped by <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of any wait, including a homeserver's <c>retry_after_ms</c>.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A number in [0, 1) per backoff: each wait is between half and all of the exponential step, so many deliveries that
    /// failed together (a homeserver restart) do not come back together. Tests pass a fixed one.
    /// </summary>
    public Func<double> Jitter { get; init; } = Random.Shared.NextDouble;
}
