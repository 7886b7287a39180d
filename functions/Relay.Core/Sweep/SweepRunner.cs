namespace Relay.Core.Sweep;

/// <summary>
/// Runs every registered <see cref="ISweepPart"/>, each even when an earlier one failed, so one broken
/// part cannot starve the others; the failures are returned, not thrown, for the caller to report.
/// </summary>
public sealed class SweepRunner(IEnumerable<ISweepPart> parts)
{
    public async Task<IReadOnlyList<SweepResult>> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<SweepResult>();
        foreach (var part in parts)
        {
            try
            {
                results.Add(new SweepResult(part.Name, await part.SweepAsync(cancellationToken), null));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                results.Add(new SweepResult(part.Name, 0, e));
            }
        }
        return results;
    }
}

public sealed record SweepResult(string Part, int Handled, Exception? Error);
