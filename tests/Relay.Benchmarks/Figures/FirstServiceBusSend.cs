using System.Diagnostics;
using Relay.Azure.ServiceBus;
using Relay.Core.Queue;
using Relay.TestServiceBus;

namespace Relay.Benchmarks.Figures;

/// <summary>
/// Part of figure 3: what a cold instance pays on its first queued job in Azure, the SDK's AMQP connection,
/// SASL, the <c>$cbs</c> token and the queue link before the message, against a second send on the same link.
/// Measured against the in-process loopback broker, so it is the client's own cost without network latency.
/// </summary>
public static class FirstServiceBusSend
{
    public static async Task<string> DescribeAsync(int runs)
    {
        await using var broker = new TestServiceBusBroker(TimeProvider.System);
        var first = new List<double>();
        var warm = new List<double>();
        // One unmeasured run: the first use of the SDK in this process JIT-compiles it.
        await MeasureAsync(broker, 0);
        for (var i = 1; i <= runs; i++)
        {
            var (cold, hot) = await MeasureAsync(broker, i);
            first.Add(cold);
            warm.Add(hot);
        }
        return $"first Service Bus send (connection + $cbs token + link) {FigureResult.Millis(ColdStart.Median(first))}, "
               + $"then {FigureResult.Millis(ColdStart.Median(warm))} a send, loopback broker, median of {runs}";
    }

    private static async Task<(double First, double Warm)> MeasureAsync(TestServiceBusBroker broker, int run)
    {
        await using var client = broker.Client();
        await using var queue = new ServiceBusCaseQueue(client);
        var started = Stopwatch.GetTimestamp();
        await queue.EnqueueAsync(new QueueMessage($"bench-{run}-a", Topics.ReportReceived, "{}"));
        var first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        started = Stopwatch.GetTimestamp();
        await queue.EnqueueAsync(new QueueMessage($"bench-{run}-b", Topics.ReportReceived, "{}"));
        return (first, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
