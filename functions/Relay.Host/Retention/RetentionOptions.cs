namespace Relay.Host.Retention;

/// <summary>
/// <c>Relay__Retention__*</c>: how long closed cases are kept. Evidence keeps its own retention
/// (<c>Relay__Escalation__EvidenceRetentionDays</c>, default 365), since the authorities may ask for it after the case is gone.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Relay:Retention";

    /// <summary>Days a resolved or dismissed case, its reports, audit trail and followers are kept after it was closed.</summary>
    public int ClosedCaseDays { get; set; } = 90;
}
