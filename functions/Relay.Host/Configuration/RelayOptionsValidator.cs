using Microsoft.Extensions.Options;
using Relay.Core.Identifiers;

namespace Relay.Host.Configuration;

/// <summary>
/// Fails start with messages that say which setting to set and how, by its environment-variable name.
/// </summary>
public sealed class RelayOptionsValidator : IValidateOptions<RelayOptions>
{
    public ValidateOptionsResult Validate(string? name, RelayOptions options)
    {
        var failures = new List<string>();
        ValidateHomeserver(options.Homeserver, failures);
        ValidateAppservice(options.Appservice, failures);
        ValidateData(options.Data, failures);
        ValidateReports(options.Reports, failures);
        CaseRoomOptionsValidation.Validate(options, failures);
        CasesOptions.Validate(options.Cases, failures);
        Dashboard.DashboardOptions.Validate(options.Dashboard, failures);
        if (options.Queue.MaxDeliveryCount is < 1 or > 1000)
        {
            failures.Add("Relay__Queue__MaxDeliveryCount must be between 1 and 1000 (default 10).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateHomeserver(HomeserverOptions hs, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(hs.Url))
        {
            failures.Add("Relay__Homeserver__Url is not set: the homeserver's client-server API URL, e.g. https://matrix.example.org.");
        }
        else if (!Uri.TryCreate(hs.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            failures.Add($"Relay__Homeserver__Url must be an absolute http(s) URL; got '{hs.Url}'.");
        }
        if (string.IsNullOrWhiteSpace(hs.ServerName))
        {
            failures.Add("Relay__Homeserver__ServerName is not set: the server name in your user IDs, e.g. example.org.");
        }
        else if (!IdentifierGrammar.IsServerName(hs.ServerName))
        {
            failures.Add($"Relay__Homeserver__ServerName '{hs.ServerName}' is not a valid Matrix server name.");
        }
        if (hs.TimeoutSeconds is < 1 or > 120)
        {
            failures.Add("Relay__Homeserver__TimeoutSeconds must be between 1 and 120 (default 10).");
        }
    }

    private static void ValidateAppservice(AppserviceOptions appservice, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(appservice.AsToken))
        {
            failures.Add("Relay__Appservice__AsToken is not set: the as_token of Relay's appservice registration.");
        }
        if (string.IsNullOrWhiteSpace(appservice.HsToken))
        {
            failures.Add("Relay__Appservice__HsToken is not set: the hs_token of Relay's appservice registration.");
        }
        if (string.IsNullOrWhiteSpace(appservice.SenderLocalpart)
            || !UserId.TryParse($"@{appservice.SenderLocalpart}:localhost", out _))
        {
            failures.Add("Relay__Appservice__SenderLocalpart must be a valid user localpart (default 'relay').");
        }
    }

    private static void ValidateData(DataOptions data, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(data.Path))
        {
            failures.Add("Relay__Data__Path must name the embedded store file (default ./relay-data/relay.db).");
        }
        if (data.ReporterHashKey is { Length: < 16 })
        {
            failures.Add("Relay__Data__ReporterHashKey must be at least 16 characters, or unset to derive it from the hs_token.");
        }
    }

    private static void ValidateReports(ReportsOptions reports, List<string> failures)
    {
        if (reports.PerReporterPerMinute < 1)
        {
            failures.Add("Relay__Reports__PerReporterPerMinute must be at least 1 (default 10).");
        }
        if (reports.PerRoomPerMinute < 1)
        {
            failures.Add("Relay__Reports__PerRoomPerMinute must be at least 1 (default 60).");
        }
        if (reports.WebFormPerAddressPerMinute < 1)
        {
            failures.Add("Relay__Reports__WebFormPerAddressPerMinute must be at least 1 (default 5).");
        }
        if (reports.WhoAmICacheSeconds is < 0 or > 3600)
        {
            failures.Add("Relay__Reports__WhoAmICacheSeconds must be between 0 and 3600 (default 60).");
        }
        foreach (var room in reports.ProtectedRooms)
        {
            if (!RoomId.TryParse(room, out _))
            {
                failures.Add($"Relay__Reports__ProtectedRooms contains '{room}', which is not a room ID (!opaque:server).");
            }
        }
    }
}
