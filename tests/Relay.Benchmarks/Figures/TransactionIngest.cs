using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Relay.Benchmarks.Transactions;

namespace Relay.Benchmarks.Figures;

/// <summary>
/// Figure 2 from BenchmarkDotNet (in-process toolchain: no second build, and the same JIT as the other
/// figures). Events per second at 100 events; allocation per ignored event is the slope between the
/// 1-event and the 100-event transaction, so the constant per-transaction cost does not hide in it.
/// </summary>
public static class TransactionIngest
{
    public const string Name = "Transaction ingest (100 ordinary messages)";

    public static FigureResult Run(BenchmarkMode mode, string artifacts)
    {
        var job = (mode.QuickMicrobenchmarks ? Job.ShortRun.WithWarmupCount(1).WithIterationCount(3) : Job.Default)
            .WithToolchain(InProcessEmitToolchain.DontLogOutput)
            .WithId(mode.Name);
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(new QuietLogger())
            .AddExporter(BenchmarkDotNet.Exporters.MarkdownExporter.GitHub)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile);
        var summary = BenchmarkRunner.Run<TransactionIngestBenchmarks>(config);

        var relay100 = Find(summary, nameof(TransactionIngestBenchmarks.Relay), 100);
        var relay1 = Find(summary, nameof(TransactionIngestBenchmarks.Relay), 1);
        var raw100 = Find(summary, nameof(TransactionIngestBenchmarks.RawReader), 100);
        if (relay100 is null || relay1 is null || raw100 is null)
        {
            return new FigureResult(2, Name, "failed", "-", null, ">= 0.50 and 0 B per ignored event", false,
                "BenchmarkDotNet produced no result; see " + artifacts);
        }
        var relayEventsPerSecond = 100 / (relay100.Value.MeanNs / 1e9);
        var rawEventsPerSecond = 100 / (raw100.Value.MeanNs / 1e9);
        var ratio = relayEventsPerSecond / rawEventsPerSecond;
        var perEvent = (relay100.Value.AllocatedBytes - relay1.Value.AllocatedBytes) / 99.0;
        var perTransaction = relay100.Value.AllocatedBytes;
        var met = ratio >= 0.5 && perEvent <= 0.5;
        return new FigureResult(2, Name, FigureResult.Rate(relayEventsPerSecond, "events/s"),
            FigureResult.Rate(rawEventsPerSecond, "events/s"), ratio, ">= 0.50 and 0 B per ignored event", met,
            $"allocated {perEvent.ToString("0.0", CultureInfo.InvariantCulture)} B per ignored event, "
            + $"{perTransaction.ToString("#,0", CultureInfo.InvariantCulture)} B per 100-event transaction");
    }

    private static (double MeanNs, long AllocatedBytes)? Find(Summary summary, string method, int events)
    {
        foreach (var report in summary.Reports)
        {
            var benchmark = report.BenchmarkCase;
            if (benchmark.Descriptor.WorkloadMethod.Name == method
                && benchmark.Parameters.Items.Any(p => p.Name == "Events" && (int)p.Value! == events)
                && report.ResultStatistics is { } statistics)
            {
                return (statistics.Mean, report.GcStats.GetBytesAllocatedPerOperation(benchmark) ?? 0);
            }
        }
        return null;
    }

    /// <summary>BenchmarkDotNet's own log is long; errors still get through, the rest is in the artifacts.</summary>
    private sealed class QuietLogger : ILogger
    {
        public string Id => nameof(QuietLogger);

        public int Priority => 0;

        public void Write(LogKind logKind, string text)
        {
            if (logKind == LogKind.Error)
            {
                Console.Error.Write(text);
            }
        }

        public void WriteLine()
        {
        }

        public void WriteLine(LogKind logKind, string text)
        {
            if (logKind == LogKind.Error)
            {
                Console.Error.WriteLine(text);
            }
        }

        public void Flush()
        {
        }
    }
}
