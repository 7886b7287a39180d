namespace Relay.Core.Retention;

/// <summary>How long a closed case (with its reports and audit trail) is kept after its last change.</summary>
public sealed record RetentionSettings(TimeSpan ClosedCases)
{
    public static TimeSpan DefaultClosedCases { get; } = TimeSpan.FromDays(90);
}
