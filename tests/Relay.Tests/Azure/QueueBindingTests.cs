using Microsoft.Extensions.DependencyInjection;
using Relay.Azure.ServiceBus;
using Relay.Core.Queue;

namespace Relay.Tests.Azure;

/// <summary>
/// Every queue-triggered handler the Azure runtime registers must have a Service Bus queue to be sent to
/// and a function to be triggered by; a topic without one would fail its sender (a transaction answered
/// 500 forever) or never run.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class QueueBindingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Every_registered_queue_handler_has_a_queue_binding()
    {
        await using var relay = await AzureRelayApp.StartAsync(azurite);
        var topics = relay.App.Services.GetServices<IQueueHandler>().Select(h => h.Topic).ToList();

        Assert.NotEmpty(topics);
        foreach (var topic in topics)
        {
            var binding = QueueBindings.ForTopic(topic);
            Assert.False(string.IsNullOrEmpty(binding.FunctionName));
        }
        Assert.Equal(QueueBindings.All.Count, QueueBindings.All.Select(b => b.QueueName).Distinct().Count());
    }

    [Fact]
    public void Every_queue_binding_has_its_function_json()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Relay.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Relay.sln not found above the test folder.");
        }
        foreach (var binding in QueueBindings.All)
        {
            var path = Path.Combine(root, "functions", binding.FunctionName, "function.json");
            Assert.True(File.Exists(path), $"{path} is missing");
            Assert.Contains($"\"queueName\": \"{binding.QueueName}\"", File.ReadAllText(path), StringComparison.Ordinal);
        }
    }
}
