using Relay.Benchmarks.Figures;
using Relay.Benchmarks.Load;

// Every figure of issue 7, each printed as: the figure | its baseline from this run | ratio | target.
//   dotnet run -c Release --project tests/Relay.Benchmarks            full mode (the README's table)
//   ... -- --quick                                                     few iterations (CI: printed, not asserted)
//   ... -- --relay-dir DIR                                             reuse a relay published with the README's flags
//   ... -- --only 1,2                                                  a subset of the figures
var mode = args.Contains("--quick") ? BenchmarkMode.Quick : BenchmarkMode.Full;
var relayDirectory = Option("--relay-dir") ?? Environment.GetEnvironmentVariable("RELAY_PUBLISH_DIR");
var only = Option("--only")?.Split(',').Select(int.Parse).ToHashSet();
var artifacts = Path.Combine(Path.GetTempPath(), "relay-benchmarks");
Directory.CreateDirectory(artifacts);

Console.WriteLine($"Relay benchmarks, {mode.Name} mode, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
var results = new List<FigureResult>();
Task<PublishedApps>? apps = null; // published once, on first need; a failed publish is not retried
foreach (var figure in new (int Number, string Name, Func<Task<IEnumerable<FigureResult>>> Run)[]
{
    (1, IntakeThroughput.Name, async () => [await IntakeThroughput.RunAsync(mode)]),
    (2, TransactionIngest.Name, () => Task.FromResult<IEnumerable<FigureResult>>([TransactionIngest.Run(mode, artifacts)])),
    (3, ColdStart.Name, async () => [await ColdStart.RunAsync(mode, await (apps ??= PublishedApps.EnsureAsync(relayDirectory, artifacts)))]),
    (4, CaseRoomLatency.Name, async () => [await CaseRoomLatency.RunAsync(mode)]),
    (5, MemoryFootprint.Name, async () => await MemoryFootprint.RunAsync(mode, await (apps ??= PublishedApps.EnsureAsync(relayDirectory, artifacts)))),
    (6, StoreWrites.Name, async () => [await StoreWrites.SqliteAsync(mode), await StoreWrites.TableStorageAsync(mode)]),
    (7, RaidFigure.Name, async () => [await RaidFigure.RunAsync()]),
    (8, RealHomeserver.Name, () => RealHomeserver.RunAsync(mode)),
})
{
    if (only is not null && !only.Contains(figure.Number))
    {
        continue;
    }
    Console.Error.WriteLine($"figure {figure.Number}: {figure.Name} ...");
    try
    {
        foreach (var result in await figure.Run())
        {
            results.Add(result);
            Console.WriteLine(result.Format());
        }
    }
    catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or IOException)
    {
        var failed = new FigureResult(figure.Number, figure.Name, "failed", "-", null, "-", false, e.Message);
        results.Add(failed);
        Console.WriteLine(failed.Format());
    }
}

Console.WriteLine();
Console.WriteLine($"summary ({mode.Name} mode):");
foreach (var result in results)
{
    Console.WriteLine("  " + result.Format());
}
return 0;

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
