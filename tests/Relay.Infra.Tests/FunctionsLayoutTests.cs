using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Relay.Azure.ServiceBus;
using Relay.Azure.Tables;
using Relay.Host.Composition;
using Relay.Host.Functions;

namespace Relay.Infra.Tests;

/// <summary>
/// What the Functions host reads (host.json, functions/*/function.json) agrees with what relay serves and
/// with what Bicep provisions. The produced package itself is checked by .ci/check-functions-package.
/// </summary>
public sealed class FunctionsLayoutTests
{
    private static readonly string[] TriggerTypes = ["httpTrigger", "serviceBusTrigger", "timerTrigger"];

    public static TheoryData<string> Functions => [.. Repository.FunctionNames()];

    internal static JsonArray Bindings(string function) =>
        Repository.Json("functions", function, "function.json")["bindings"]?.AsArray()
        ?? throw new InvalidDataException($"{function}/function.json has no bindings.");

    internal static JsonNode Trigger(string function) =>
        Assert.Single(Bindings(function), b => TriggerTypes.Contains((string?)b?["type"]))!;

    [Fact]
    public void The_functions_are_the_public_http_routes_the_queue_triggers_and_the_sweep() =>
        Assert.Equal(["AppserviceRooms", "AppserviceTransactions", "AppserviceUsers", "BotInvite", "CaseDue", "Dashboard",
            "DeliverEscalation", "Health", "Matrix", "NotifyReporter", "OpenCase", "ReportFollowUp", "Sweep", "WebForm"], Repository.FunctionNames());

    [Theory]
    [MemberData(nameof(Functions))]
    public void Each_function_json_parses_with_one_trigger_bound_in(string function)
    {
        var trigger = Trigger(function);

        Assert.Equal("in", (string?)trigger["direction"]);
        Assert.False(string.IsNullOrEmpty((string?)trigger["name"]));
    }

    [Fact]
    public void Http_functions_are_anonymous_proxies_with_a_route_each()
    {
        foreach (var function in Repository.FunctionNames().Where(f => (string?)Trigger(f)["type"] == "httpTrigger"))
        {
            var trigger = Trigger(function);
            var output = Assert.Single(Bindings(function), b => (string?)b?["direction"] == "out")!;
            Assert.Equal("anonymous", (string?)trigger["authLevel"]);
            Assert.False(string.IsNullOrEmpty((string?)trigger["route"]), $"{function} has no route, so the host would route its name");
            Assert.Equal("http", (string?)output["type"]);
        }
    }

    [Fact]
    public void Each_queue_function_listens_on_its_topics_queue_through_the_ServiceBus_connection()
    {
        foreach (var binding in QueueBindings.All)
        {
            var trigger = Trigger(binding.FunctionName);
            Assert.Equal(("serviceBusTrigger", binding.QueueName, "ServiceBus"),
                ((string?)trigger["type"], (string?)trigger["queueName"], (string?)trigger["connection"]));
        }
    }

    [Fact]
    public void Every_non_http_function_has_a_handler_route_and_none_shadows_a_Matrix_path()
    {
        using var app = BuildAzureApp();
        var routes = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints)
            .OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText?.TrimStart('/'))
            .ToHashSet(StringComparer.Ordinal);

        foreach (var function in Repository.FunctionNames().Where(f => (string?)Trigger(f)["type"] != "httpTrigger"))
        {
            Assert.Contains(function, routes);
            Assert.False(function.StartsWith("_matrix", StringComparison.OrdinalIgnoreCase));
        }
        Assert.Equal("0 */5 * * * *", (string?)Trigger(FunctionTriggerEndpoints.SweepFunction)["schedule"]);
    }

    [Fact]
    public void Each_connection_has_its_identity_based_settings_in_Bicep()
    {
        var appBicep = Repository.Text("infra-bicep", "modules", "functionapp.bicep");
        var connections = Repository.FunctionNames()
            .SelectMany(f => Bindings(f))
            .Select(b => (string?)b?["connection"])
            .OfType<string>()
            .Distinct()
            .Append("AzureWebJobsStorage");

        foreach (var connection in connections)
        {
            Assert.Contains($"'{connection}__credential', value: 'managedidentity'", appBicep, StringComparison.Ordinal);
            Assert.Contains($"'{connection}__clientId'", appBicep, StringComparison.Ordinal);
            Assert.True(appBicep.Contains($"'{connection}__fullyQualifiedNamespace'", StringComparison.Ordinal)
                        || appBicep.Contains($"'{connection}__accountName'", StringComparison.Ordinal),
                $"{connection} names no namespace or account in functionapp.bicep");
        }
    }

    [Fact]
    public void Relay_behind_the_Functions_front_end_takes_the_client_address_from_the_forwarded_header()
    {
        var appBicep = Repository.Text("infra-bicep", "modules", "functionapp.bicep");

        Assert.Contains("{ name: 'Relay__Http__TrustForwardedFor', value: 'true' }", appBicep, StringComparison.Ordinal);
    }

    [Fact]
    public void Bicep_creates_every_queue_and_table_the_code_uses()
    {
        var main = Repository.Text("infra-bicep", "main.bicep");
        var tables = new TableNames("").All
            .Concat(new TableStorageAppserviceStore(new TableServiceClient("UseDevelopmentStorage=true"), "relay").TableNames);

        foreach (var name in QueueBindings.All.Select(b => b.QueueName).Concat(tables))
        {
            Assert.Contains($"'{name}'", main, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Host_json_starts_relay_as_a_custom_handler_with_proxied_http_and_bounded_queue_work()
    {
        var host = Repository.Json("host.json");

        Assert.Equal("2.0", (string?)host["version"]);
        Assert.Equal("relay", (string?)host["customHandler"]?["description"]?["defaultExecutablePath"]);
        Assert.Equal(["serve"], host["customHandler"]?["description"]?["arguments"]?.AsArray().Select(a => (string?)a));
        Assert.True((bool?)host["customHandler"]?["enableProxyingHttpRequest"]);
        Assert.Equal("", (string?)host["extensions"]?["http"]?["routePrefix"]);
        Assert.Equal("[4.*, 5.0.0)", (string?)host["extensionBundle"]?["version"]);
        var serviceBus = host["extensions"]?["serviceBus"];
        Assert.InRange((int?)serviceBus?["maxConcurrentCalls"] ?? 0, 1, 16);
        var timeout = TimeSpan.Parse((string)host["functionTimeout"]!, System.Globalization.CultureInfo.InvariantCulture);
        var lockRenewal = TimeSpan.Parse((string)serviceBus!["maxAutoLockRenewalDuration"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(lockRenewal >= timeout, "a message lock must outlive the longest invocation");
    }

    [Fact]
    public void Handlers_are_told_their_last_attempt_by_the_same_count_the_queues_use()
    {
        var appBicep = Repository.Text("infra-bicep", "modules", "functionapp.bicep");
        var busBicep = Repository.Text("infra-bicep", "modules", "servicebus.bicep");

        Assert.Contains("{ name: 'Relay__Queue__MaxDeliveryCount', value: string(maxDeliveryCount) }", appBicep, StringComparison.Ordinal);
        Assert.Contains("maxDeliveryCount: maxDeliveryCount", busBicep, StringComparison.Ordinal);
        Assert.Contains("requiresDuplicateDetection: true", busBicep, StringComparison.Ordinal);
    }

    internal static WebApplication BuildAzureApp(params string[] extra) => RelayApp.Build(
    [
        "--urls", "http://127.0.0.1:0",
        "--Relay:Storage:ConnectionString=UseDevelopmentStorage=true",
        "--Relay:ServiceBus:FullyQualifiedNamespace=relay.servicebus.windows.net",
        .. extra,
    ]);
}
