namespace Relay.Benchmarks.Figures;

public static partial class StoreWrites
{
#if !RELAY_AZURE
    /// <summary>Lights up when the Table Storage adapter (functions/Relay.Azure) is in the tree.</summary>
    public static Task<FigureResult> TableStorageAsync(BenchmarkMode mode) =>
        Task.FromResult(FigureResult.NotAvailable(6, $"{Name} (Azurite Table Storage)",
            "the Table Storage store from the azure branch", "none set (informational)"));
#endif
}
