namespace Relay.Benchmarks.Figures;

/// <summary>
/// How hard to measure. Quick proves every figure runs (CI, a few iterations, printed but not asserted);
/// full is what the README's table comes from.
/// </summary>
public sealed record BenchmarkMode(
    string Name,
    int IntakeRequests,
    int IntakeBaselineRequests,
    int ColdStarts,
    int CaseRoomSamples,
    int MemoryReports,
    int MemoryCases,
    int StoreWrites,
    bool QuickMicrobenchmarks,
    TimeSpan IntakeWarmUp,
    int SynapseEvents,
    int SynapseCases)
{
    public static readonly BenchmarkMode Quick = new("quick", 2_000, 5_000, 3, 40, 1_000, 100, 300, true, TimeSpan.FromSeconds(0.5), 10, 5);

    public static readonly BenchmarkMode Full = new("full", 20_000, 50_000, 10, 200, 10_000, 1_000, 3_000, false, TimeSpan.FromSeconds(3), 150, 40);

    /// <summary>Every load loop is bounded in time as well as in count.</summary>
    public static readonly TimeSpan LoadTimeLimit = TimeSpan.FromSeconds(120);

    /// <summary>The concurrent connections of figure 1.</summary>
    public const int Connections = 64;
}
