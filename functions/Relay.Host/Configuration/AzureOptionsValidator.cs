using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Relay.Host.Configuration;

/// <summary>Fails start naming the setting, as <see cref="RelayOptionsValidator"/> does for the rest.</summary>
public sealed partial class AzureOptionsValidator(IOptions<ServiceBusOptions> serviceBus) : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions storage)
    {
        var failures = new List<string>();
        var hasUri = !string.IsNullOrWhiteSpace(storage.TableServiceUri);
        var hasConnectionString = !string.IsNullOrWhiteSpace(storage.ConnectionString);
        if (hasUri && hasConnectionString)
        {
            failures.Add("Relay__Storage__TableServiceUri and Relay__Storage__ConnectionString are both set; set one " +
                         "(the URI with a managed identity in Azure, the connection string for Azurite).");
        }
        if (!hasUri && !hasConnectionString)
        {
            failures.Add("Relay__Storage__TableServiceUri is not set: the Azure runtime keeps reports in Table Storage, " +
                         "e.g. https://<account>.table.core.windows.net (or Relay__Storage__ConnectionString for Azurite).");
        }
        if (hasUri && (!Uri.TryCreate(storage.TableServiceUri, UriKind.Absolute, out var uri) || uri.Scheme != "https"))
        {
            failures.Add($"Relay__Storage__TableServiceUri must be an absolute https URL such as https://<account>.table.core.windows.net; got '{storage.TableServiceUri}'.");
        }
        if (hasConnectionString && !LooksLikeConnectionString(storage.ConnectionString!))
        {
            // Never echo it: a connection string holds the account key.
            failures.Add("Relay__Storage__ConnectionString is not a storage connection string (expected AccountName=…;AccountKey=…;TableEndpoint=… or UseDevelopmentStorage=true).");
        }
        if (storage.TablePrefix.Length > 0 && !TablePrefixPattern().IsMatch(storage.TablePrefix))
        {
            failures.Add($"Relay__Storage__TablePrefix must be 1–20 letters or digits, starting with a letter; got '{storage.TablePrefix}'.");
        }
        failures.AddRange(ServiceBusFailures(serviceBus.Value));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> ServiceBusFailures(ServiceBusOptions serviceBus)
    {
        var ns = serviceBus.FullyQualifiedNamespace;
        var connectionString = serviceBus.ConnectionString;
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            if (!string.IsNullOrWhiteSpace(ns))
            {
                yield return "Relay__ServiceBus__FullyQualifiedNamespace and Relay__ServiceBus__ConnectionString are both set; set one " +
                             "(the namespace with a managed identity in Azure, the connection string for the emulator or tests).";
            }
            // Never echo it: a connection string holds the shared key.
            if (!connectionString.Contains("Endpoint=", StringComparison.OrdinalIgnoreCase))
            {
                yield return "Relay__ServiceBus__ConnectionString is not a Service Bus connection string (expected Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…).";
            }
            yield break;
        }
        if (string.IsNullOrWhiteSpace(ns))
        {
            yield return "Relay__ServiceBus__FullyQualifiedNamespace is not set: the Azure runtime queues work in Service Bus, " +
                         "e.g. relay-abc123.servicebus.windows.net.";
        }
        else if (Uri.CheckHostName(ns.Trim()) != UriHostNameType.Dns)
        {
            yield return $"Relay__ServiceBus__FullyQualifiedNamespace must be a host name such as relay-abc123.servicebus.windows.net (no https://, no path); got '{ns}'.";
        }
    }

    private static bool LooksLikeConnectionString(string value) =>
        value.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase)
        || value.Contains("AccountName=", StringComparison.OrdinalIgnoreCase)
        || value.Contains("TableEndpoint=", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,19}$")]
    private static partial Regex TablePrefixPattern();
}
