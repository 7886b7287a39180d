namespace Relay.Core.Sweep;

/// <summary>
/// One job of the periodic sweep (the <c>Sweep</c> timer function in Azure): re-sending outbox
/// messages a crash left behind, and later overdue cases. Each part must be idempotent and cheap when
/// there is nothing to do; a part that throws fails the sweep run, which the timer simply repeats.
/// </summary>
public interface ISweepPart
{
    /// <summary>Names the part in logs.</summary>
    string Name { get; }

    /// <summary>Returns how many items it handled.</summary>
    Task<int> SweepAsync(CancellationToken cancellationToken);
}
