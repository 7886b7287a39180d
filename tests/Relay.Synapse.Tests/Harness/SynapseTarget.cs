using YamlDotNet.RepresentationModel;

namespace Relay.Synapse.Tests.Harness;

/// <summary>
/// The Synapse under test and Relay's registration with it, from the environment tests/synapse/run sets:
/// <c>RELAY_SYNAPSE_URL</c>, <c>RELAY_SYNAPSE_SECRET</c> (its registration_shared_secret, to create users) and
/// <c>RELAY_SYNAPSE_REGISTRATION</c> (the <c>relay registration</c> file Synapse loaded).
/// </summary>
public sealed record SynapseTarget(Uri Url, string SharedSecret, Registration Registration)
{
    public static SynapseTarget FromEnvironment()
    {
        var url = Environment.GetEnvironmentVariable("RELAY_SYNAPSE_URL");
        var secret = Environment.GetEnvironmentVariable("RELAY_SYNAPSE_SECRET");
        var registration = Environment.GetEnvironmentVariable("RELAY_SYNAPSE_REGISTRATION");
        if (string.IsNullOrEmpty(url) || string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(registration))
        {
            throw new InvalidOperationException(
                "The Synapse suite needs RELAY_SYNAPSE_URL, RELAY_SYNAPSE_SECRET and RELAY_SYNAPSE_REGISTRATION: run it with "
                + "tests/synapse/run (see docs/synapse.md).");
        }
        return new SynapseTarget(new Uri(url.TrimEnd('/') + "/"), secret, Registration.Load(registration));
    }
}

/// <summary>What Relay needs from its registration file: the tokens, the id, the bot's localpart and where it listens.</summary>
public sealed record Registration(string Id, string AsToken, string HsToken, string SenderLocalpart, Uri Url)
{
    public static Registration Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            stream.Load(reader);
        }
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        string Get(string key) => ((YamlScalarNode)root[key]).Value ?? throw new InvalidOperationException($"{path}: no {key}");
        return new Registration(Get("id"), Get("as_token"), Get("hs_token"), Get("sender_localpart"), new Uri(Get("url")));
    }
}
