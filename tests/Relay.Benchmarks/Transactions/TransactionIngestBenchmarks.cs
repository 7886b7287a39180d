using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Relay.Core.Appservice;
using Relay.Host.Appservice;
using Relay.Host.Composition;

namespace Relay.Benchmarks.Transactions;

/// <summary>
/// Figure 2: one transaction through Relay's endpoint logic (<see cref="AppserviceTransactions.PutTransactionAsync"/>
/// as DI builds it: hs_token check, body read, transaction key, reader, processor, acknowledgement), against a
/// raw <see cref="Utf8JsonReader"/> pass over the same bytes. The transaction log is in memory here: its one
/// row per transaction is a store write (figure 6's kind of cost), not per-event work.
/// </summary>
[MemoryDiagnoser]
public class TransactionIngestBenchmarks
{
    private const string HsToken = "bench-hs-token";

    private byte[] _body = [];
    private AppserviceTransactions _transactions = null!;
    private WebApplication _app = null!;

    [Params(1, 100)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = TransactionSamples.OrdinaryMessages(Events);
        _app = RelayApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Relay:Homeserver:Url"] = "http://127.0.0.1:9",
                ["Relay:Homeserver:ServerName"] = "example.org",
                ["Relay:Appservice:AsToken"] = "bench-as-token",
                ["Relay:Appservice:HsToken"] = HsToken,
                ["Relay:Data:Path"] = Path.Combine(Path.GetTempPath(), "relay-bench-unused.db"),
            });
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<ITransactionLog, ForgetfulTransactionLog>();
        });
        _transactions = _app.Services.GetRequiredService<AppserviceTransactions>();
    }

    [GlobalCleanup]
    public void Cleanup() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "raw Utf8JsonReader pass")]
    public int RawReader()
    {
        var reader = new Utf8JsonReader(_body);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }
        return tokens;
    }

    [Benchmark(Description = "Relay transaction endpoint")]
    public async Task<IResult> Relay()
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "PUT";
        http.Request.Headers.Authorization = "Bearer " + HsToken;
        http.Request.ContentLength = _body.Length;
        http.Request.Body = new MemoryStream(_body, writable: false);
        var result = await _transactions.PutTransactionAsync("txn1", http.Request, CancellationToken.None);
        if (result is not IStatusCodeHttpResult { StatusCode: null or 200 })
        {
            throw new InvalidOperationException("The transaction was not acknowledged.");
        }
        return result;
    }

    /// <summary>Never remembers a transaction, so every call processes it.</summary>
    private sealed class ForgetfulTransactionLog : ITransactionLog
    {
        public Task<bool> IsProcessedAsync(string transactionKey, CancellationToken cancellationToken = default) =>
            Task.FromResult(false);

        public Task MarkProcessedAsync(string transactionKey, DateTimeOffset at, TimeSpan keepFor,
            CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
