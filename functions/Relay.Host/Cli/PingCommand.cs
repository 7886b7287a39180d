using System.CommandLine;
using System.Globalization;
using Relay.Core.Errors;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Host.Configuration;
using Relay.Matrix.Bot;

namespace Relay.Host.Cli;

/// <summary>
/// <c>relay ping</c>: asks the homeserver to ping Relay (<c>POST /_matrix/client/v1/appservice/{id}/ping</c>)
/// and reports the round trip, or what each failure means and what to change.
/// </summary>
public static class PingCommand
{
    public static Command Create()
    {
        var command = new Command("ping", "Ask the homeserver to ping Relay through its appservice registration.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (result, ct) =>
        {
            var configuration = new ConfigurationBuilder()
                .AddJsonFile("appsettings.json", optional: true)
                .AddEnvironmentVariables()
                .AddCommandLine([.. result.UnmatchedTokens])
                .Build();
            var options = configuration.GetSection(RelayOptions.Section).Get<RelayOptions>() ?? new RelayOptions();
            if (options.Homeserver.Url is null || options.Appservice.AsToken is null || options.Homeserver.ServerName is null
                || !UserId.TryParse($"@{options.Appservice.SenderLocalpart}:{options.Homeserver.ServerName}", out var botUser))
            {
                await Console.Error.WriteLineAsync(
                    "Set Relay__Homeserver__Url, Relay__Homeserver__ServerName and Relay__Appservice__AsToken (see 'relay registration').");
                return 2;
            }
            using var http = new HttpClient
            {
                BaseAddress = new Uri(options.Homeserver.Url.TrimEnd('/') + "/"),
                Timeout = TimeSpan.FromSeconds(options.Homeserver.TimeoutSeconds + 30),
            };
            var bot = new MatrixBot(http, new MatrixBotOptions(options.Appservice.AsToken, botUser, options.Appservice.Id), TimeProvider.System);
            var (code, message) = await RunAsync(bot, options.Appservice.Id, ct);
            await (code == 0 ? Console.Out : Console.Error).WriteLineAsync(message);
            return code;
        });
        return command;
    }

    /// <summary>Exit code (0 ok, 1 failed) and the message for the operator.</summary>
    public static async Task<(int Code, string Message)> RunAsync(IMatrixBot bot, string appserviceId, CancellationToken cancellationToken)
    {
        try
        {
            var rtt = await bot.PingAsync($"relay-ping-{Guid.NewGuid():N}", cancellationToken);
            return (0, $"OK: the homeserver reached Relay and back in {rtt.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms.");
        }
        catch (MatrixException e)
        {
            return (1, Explain(e.Error, appserviceId));
        }
    }

    public static string Explain(MatrixError error, string appserviceId) => error.ErrCode switch
    {
        "M_URL_NOT_SET" =>
            "The homeserver has no URL for this appservice: set 'url' in the registration file to Relay's public URL and restart the homeserver.",
        "M_BAD_STATUS" =>
            "The homeserver reached the registration's url, but the answer was an error: check that the url points at Relay "
            + "(not a proxy page) and that the registration's hs_token equals Relay__Appservice__HsToken. (" + error.Message + ")",
        "M_CONNECTION_TIMEOUT" =>
            "The homeserver's call to Relay timed out: check that Relay is running and that the registration's url is reachable from the homeserver.",
        "M_CONNECTION_FAILED" =>
            "The homeserver could not connect to Relay: check the registration's url (host, port, scheme), DNS, firewalls and TLS certificates as the homeserver sees them.",
        "M_FORBIDDEN" =>
            $"The homeserver says the as_token is not that of appservice '{appserviceId}': Relay__Appservice__Id must equal the registration's id, "
            + "and Relay__Appservice__AsToken its as_token.",
        "M_UNKNOWN_TOKEN" or "M_MISSING_TOKEN" =>
            "The homeserver does not know Relay's as_token: the registration file is not loaded (Synapse: list it in app_service_config_files "
            + "and restart) or Relay__Appservice__AsToken differs from its as_token.",
        "M_UNRECOGNIZED" =>
            "The homeserver does not support the appservice ping (Matrix 1.7): upgrade it, or check transactions arrive in Relay's log instead.",
        "M_LIMIT_EXCEEDED" => "The homeserver rate-limited the ping; try again shortly.",
        _ => $"The ping failed: {error.ErrCode} ({error.Status.ToString(CultureInfo.InvariantCulture)}): {error.Message}. "
            + "Check Relay__Homeserver__Url points at the homeserver's client-server API.",
    };
}
