using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Relay.Host.Composition;

namespace Relay.Tests.Azure;

public sealed class AzureConfigurationTests
{
    private static readonly string[] Valid =
    [
        "--urls", "http://127.0.0.1:0",
        "--Relay:Homeserver:Url=https://matrix.example.org", "--Relay:Homeserver:ServerName=example.org",
        "--Relay:Appservice:AsToken=as", "--Relay:Appservice:HsToken=hs",
    ];

    [Theory]
    [InlineData("--Relay:ServiceBus:FullyQualifiedNamespace=sb.servicebus.windows.net", "Relay__Storage__TableServiceUri is not set")]
    [InlineData("--Relay:Storage:TableServiceUri=https://acct.table.core.windows.net", "Relay__ServiceBus__FullyQualifiedNamespace is not set")]
    [InlineData("--Relay:Storage:TableServiceUri=http://acct.table.core.windows.net", "Relay__Storage__TableServiceUri must be an absolute https URL")]
    [InlineData("--Relay:Storage:ConnectionString=nonsense", "Relay__Storage__ConnectionString is not a storage connection string")]
    public async Task Azure_runtime_refuses_to_start_naming_the_setting(string setting, string message)
    {
        await using var app = RelayApp.Build([.. Valid, setting]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.InitializeRelayAsync());

        Assert.Contains(error.Failures, f => f.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Both_storage_settings_at_once_are_refused_without_echoing_the_connection_string()
    {
        await using var app = RelayApp.Build([.. Valid,
            "--Relay:Storage:TableServiceUri=https://acct.table.core.windows.net",
            "--Relay:Storage:ConnectionString=AccountName=a;AccountKey=c2VjcmV0",
            "--Relay:ServiceBus:FullyQualifiedNamespace=https://sb.servicebus.windows.net/"]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.InitializeRelayAsync());

        Assert.Contains(error.Failures, f => f.Contains("are both set", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Relay__ServiceBus__FullyQualifiedNamespace must be a host name", StringComparison.Ordinal));
        Assert.DoesNotContain(error.Failures, f => f.Contains("c2VjcmV0", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false, "SqliteEscalationStore")]
    [InlineData(true, "TableStorageEscalationStore")]
    public async Task Each_runtime_registers_its_own_escalation_store_and_nothing_stands_in_for_it(bool azure, string adapter)
    {
        string[] args = azure
            ? [.. Valid, "--Relay:Storage:TableServiceUri=https://acct.table.core.windows.net",
                "--Relay:ServiceBus:FullyQualifiedNamespace=sb.servicebus.windows.net"]
            : Valid;
        IServiceCollection? registered = null;
        await using var app = RelayApp.Build(args, builder => registered = builder.Services);

        foreach (var port in new[] { typeof(Relay.Core.Escalation.IEscalationStore), typeof(Relay.Core.Escalation.IEvidenceStore) })
        {
            Assert.Single(registered!, d => d.ServiceType == port);
            Assert.Equal(adapter, app.Services.GetRequiredService(port).GetType().Name);
        }
    }

    [Fact]
    public void Without_Azure_settings_the_embedded_runtime_is_chosen()
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(Valid).Build();

        Assert.False(AzureRuntime.IsSelected(configuration));
    }
}
