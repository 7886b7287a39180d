using System.Text.Json.Nodes;
using Relay.Azure.Tables;
using Relay.Core.Cases;
using Relay.Tests.Contracts;
using Relay.Tests.Harness;

namespace Relay.Tests.Azure;

/// <summary>
/// The case and report commands against Table Storage (Azurite), chosen by the same settings as <c>relay serve</c>. Service Bus
/// is named but never called: only <c>escalate</c> queues anything.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableStorageCliTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Show_export_transparency_and_purge_work_against_table_storage()
    {
        var prefix = AzuriteFixture.UniquePrefix();
        var store = (await TableStorageStoreUnderTest.OpenAsync(azurite.Service, TimeProvider.System, new TableStorageOptions { TablePrefix = prefix })).Store;
        var samples = new ReportSamples(TimeProvider.System);
        var commit = samples.Commit(null, samples.EventTarget(), ReportSamples.Hash('a'), reason: "a reason never printed by transparency");
        await store.CommitAsync(commit);
        var id = commit.Case.Id.Value;
        var settings = new Dictionary<string, string>
        {
            ["Relay__Storage__ConnectionString"] = azurite.ConnectionString,
            ["Relay__Storage__TablePrefix"] = prefix,
            ["Relay__ServiceBus__FullyQualifiedNamespace"] = "relay-test.servicebus.windows.net",
        };

        var (showCode, shown, showError) = await RelayCliProcess.RunAsync(settings, "cases", "show", id, "--json");
        Assert.True(showCode == 0, showError);
        Assert.Equal(id, (string?)JsonNode.Parse(shown)!["case"]!["id"]);

        var (exportCode, exported, exportError) = await RelayCliProcess.RunAsync(settings, "cases", "export", id);
        Assert.True(exportCode == 0, exportError);
        Assert.Single(JsonNode.Parse(exported)!["reports"]!.AsArray());

        var (reportCode, report, reportError) = await RelayCliProcess.RunAsync(settings, "report", "transparency", "--format", "json");
        Assert.True(reportCode == 0, reportError);
        Assert.Equal(1, (int)JsonNode.Parse(report)!["notices_received"]!);
        Assert.DoesNotContain("never printed", report, StringComparison.Ordinal);

        var (purgeCode, purged, purgeError) = await RelayCliProcess.RunAsync(settings, "cases", "purge", id, "--yes");
        Assert.True(purgeCode == 0, purgeError);
        Assert.Contains(": 1 report, ", purged, StringComparison.Ordinal);
        Assert.Null(await store.GetCaseAsync(CaseId.Parse(id)));
        Assert.NotNull(await new TableStorageCaseLifecycleStore(azurite.Service, new TableStorageOptions { TablePrefix = prefix })
            .FindPurgeAsync(CaseId.Parse(id)));
    }

    [Fact]
    public async Task A_half_configured_azure_store_is_named_not_opened()
    {
        var (code, _, error) = await RelayCliProcess.RunAsync(
            new Dictionary<string, string> { ["Relay__Storage__ConnectionString"] = azurite.ConnectionString }, "cases", "list");

        Assert.Equal(1, code);
        Assert.Contains("Relay__ServiceBus__FullyQualifiedNamespace is not set", error, StringComparison.Ordinal);
    }
}
