using System.CommandLine;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Relay.Core.Identifiers;
using YamlDotNet.RepresentationModel;

namespace Relay.Host.Cli;

/// <summary>
/// <c>relay registration --url ... --server-name ...</c>: prints an appservice registration (YAML, for the
/// homeserver) with fresh tokens on stdout, and the matching Relay settings on stderr, so the two can be
/// redirected to different places and never disagree. The namespaces claim exactly the users and case-room aliases
/// Relay creates for the given sender localpart.
/// </summary>
public static class RegistrationCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Relay's public URL, as the homeserver will call it.", Required = true };
        var serverName = new Option<string>("--server-name") { Description = "The homeserver's server name (the part after ':' in user IDs).", Required = true };
        var id = new Option<string>("--id") { Description = "The registration's unique id.", DefaultValueFactory = _ => "relay" };
        var localpart = new Option<string>("--sender-localpart") { Description = "Localpart of Relay's bot user.", DefaultValueFactory = _ => "relay" };
        var command = new Command("registration", "Print an application-service registration for Relay, with fresh tokens.")
        {
            url, serverName, id, localpart,
        };
        command.SetAction(async (result, ct) =>
        {
            if (!TryCreate(result.GetValue(url)!, result.GetValue(serverName)!, result.GetValue(id)!, result.GetValue(localpart)!,
                    out var registration, out var error))
            {
                await Console.Error.WriteLineAsync(error);
                return 2;
            }
            await Console.Out.WriteAsync(registration.Yaml);
            await Console.Error.WriteAsync(registration.Settings);
            return 0;
        });
        return command;
    }

    public sealed record Registration(string Yaml, string Settings, string AsToken, string HsToken);

    public static bool TryCreate(string url, string serverName, string id, string localpart, out Registration registration, out string error)
    {
        registration = null!;
        error = "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            error = $"--url must be an absolute http(s) URL, e.g. https://relay.example.org; got '{url}'.";
            return false;
        }
        if (!IdentifierGrammar.IsServerName(serverName))
        {
            error = $"--server-name '{serverName}' is not a valid Matrix server name.";
            return false;
        }
        if (string.IsNullOrWhiteSpace(id) || id.Any(char.IsWhiteSpace))
        {
            error = "--id must be a non-empty word.";
            return false;
        }
        if (!UserId.TryParse($"@{localpart}:{serverName}", out _) || localpart.Any(char.IsUpper))
        {
            error = $"--sender-localpart '{localpart}' is not a valid lower-case user localpart.";
            return false;
        }
        var asToken = Token();
        var hsToken = Token();
        var server = Regex.Escape(serverName);
        var local = Regex.Escape(localpart);
        var root = new YamlMappingNode
        {
            { "id", Quoted(id) },
            { "url", Quoted(url.TrimEnd('/')) },
            { "as_token", Quoted(asToken) },
            { "hs_token", Quoted(hsToken) },
            { "sender_localpart", Quoted(localpart) },
            { "rate_limited", Plain("false") },
            { "receive_ephemeral", Plain("false") },
            {
                "namespaces", new YamlMappingNode
                {
                    { "users", Namespace($"@{local}(-.*)?:{server}") },
                    // Case rooms are created as #<localpart>-case-<id> (OpenCase.AliasLocalpart) and incident rooms as
                    // #<localpart>-incident-<room>-<hour> (IncidentRooms.AliasLocalpart), so the namespace follows the
                    // localpart; an alias outside it makes the homeserver refuse the room with M_EXCLUSIVE.
                    { "aliases", Namespace($"#{local}-(case|incident)-.*:{server}") },
                    { "rooms", new YamlSequenceNode() },
                }
            },
        };
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var yaml = "# Relay application-service registration. Keep it secret: it holds both tokens.\n"
            + writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('.', '\n', ' ') + "\n";
        var settings = string.Join('\n',
            "# Relay's side of this registration (environment variables):",
            $"export Relay__Appservice__Id='{id}'",
            $"export Relay__Appservice__AsToken='{asToken}'",
            $"export Relay__Appservice__HsToken='{hsToken}'",
            $"export Relay__Appservice__SenderLocalpart='{localpart}'",
            $"export Relay__Homeserver__ServerName='{serverName}'",
            "# and Relay__Homeserver__Url: the homeserver's client-server API URL, e.g. https://matrix.example.org",
            "");
        registration = new Registration(yaml, settings, asToken, hsToken);
        return true;
    }

    /// <summary>32 random bytes, base64url: 256 bits, safe in YAML, URLs and environment variables.</summary>
    private static string Token() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static YamlSequenceNode Namespace(string regex) =>
        new(new YamlMappingNode { { "exclusive", Plain("true") }, { "regex", Quoted(regex) } });

    private static YamlScalarNode Quoted(string value) => new(value) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted };

    private static YamlScalarNode Plain(string value) => new(value) { Style = YamlDotNet.Core.ScalarStyle.Plain };
}
