namespace Relay.Core.Cases;

/// <summary>Where a case stands. Stored as text, so names are the contract.</summary>
public enum CaseState
{
    Open,
    Acknowledged,
    Escalated,
    Resolved,
    Dismissed,
}

public static class CaseStates
{
    /// <summary>Open cases take further reports; closed ones do not, and a new report opens a new case.</summary>
    public static bool IsOpen(this CaseState state) => state is CaseState.Open or CaseState.Acknowledged or CaseState.Escalated;
}
