using Relay.Core.Cases;

namespace Relay.Core.Reports;

/// <summary>What became of a submission: filed (new or joined case), replayed, or rate-limited.</summary>
public abstract record IntakeOutcome
{
    private IntakeOutcome()
    {
    }

    public sealed record Filed(Report Report, Case Case, bool OpenedCase) : IntakeOutcome;

    /// <summary>The same reporter retried the same transaction: the first report stands.</summary>
    public sealed record Replayed(Report Report) : IntakeOutcome;

    public sealed record RateLimited(TimeSpan RetryAfter) : IntakeOutcome;
}
