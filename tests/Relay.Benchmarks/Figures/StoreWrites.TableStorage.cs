namespace Relay.Benchmarks.Figures;

public static partial class StoreWrites
{
    private const string TableStorageName = "Azurite Table Storage";

#if RELAY_AZURE
    /// <summary>
    /// The Table Storage half, against Azurite on loopback (installed by <c>npm ci --prefix tests/azurite</c>,
    /// as the tests do). Commits are the store's entity-group transaction; outbox messages go to a queue that
    /// drops them, so only the store is measured. Baseline: one entity inserted per call.
    /// </summary>
    public static async Task<FigureResult> TableStorageAsync(BenchmarkMode mode)
    {
        var executable = Path.Combine(Load.Published.RepositoryRoot(), "tests", "azurite", "node_modules", ".bin", "azurite-table");
        if (!File.Exists(executable))
        {
            return FigureResult.NotAvailable(6, $"{Name} ({TableStorageName})", "Azurite: npm ci --prefix tests/azurite", Target);
        }
        var port = Load.Published.FreePort();
        var azurite = Load.Published.Start(executable, new Dictionary<string, string?>(), Path.GetTempPath(),
            "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--tableHost", "127.0.0.1",
            "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            await WaitForPortAsync(port, TimeSpan.FromSeconds(30));
            var service = new global::Azure.Data.Tables.TableServiceClient(
                "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
                + $"TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;");
            var store = new Relay.Azure.Tables.TableStorageReportStore(service, new DroppingQueue(), TimeProvider.System,
                Microsoft.Extensions.Logging.Abstractions.NullLogger<Relay.Azure.Tables.TableStorageReportStore>.Instance,
                new Relay.Azure.Tables.TableStorageOptions { TablePrefix = "bench" });
            await store.CreateTablesAsync();
            var bare = service.GetTableClient("benchbare");
            await bare.CreateIfNotExistsAsync();
            var samples = new CommitSamples();
            var count = Math.Max(100, mode.StoreWrites / 3);
            await RunAsync(30, i => bare.AddEntityAsync(new global::Azure.Data.Tables.TableEntity("p", "w" + i) { ["Value"] = "x" }));
            await RunAsync(30, _ => store.CommitAsync(samples.NewCase()));
            var barePerSecond = await RunAsync(count, i => bare.AddEntityAsync(new global::Azure.Data.Tables.TableEntity("p", "r" + i) { ["Value"] = "x" }));
            var commitsPerSecond = await RunAsync(count, _ => store.CommitAsync(samples.NewCase()));
            return Result(TableStorageName, commitsPerSecond, barePerSecond);
        }
        finally
        {
            Load.Published.Stop(azurite);
        }
    }

    private static async Task WaitForPortAsync(int port, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private sealed class DroppingQueue : Relay.Core.Queue.ICaseQueue
    {
        public Task EnqueueAsync(Relay.Core.Queue.QueueMessage message, CancellationToken cancellationToken = default) =>
            Task.CompletedTask;
    }
#else
    /// <summary>Lights up when the Table Storage adapter (functions/Relay.Azure, the azure branch) is in the tree.</summary>
    public static Task<FigureResult> TableStorageAsync(BenchmarkMode mode) =>
        Task.FromResult(FigureResult.NotAvailable(6, $"{Name} ({TableStorageName})",
            "the Table Storage store from the azure branch", Target));
#endif
}
