using System.Text;
using System.Text.Json.Nodes;

namespace Relay.TestHomeserver;

/// <summary>One request as it reached the homeserver. <paramref name="UserId"/> is who the token resolved to (null when none or invalid).</summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string RawPath,
    string Query,
    string? ContentType,
    byte[] Body,
    string? UserId,
    DateTimeOffset ReceivedAt)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The body parsed as JSON, or null when it is empty or not JSON.</summary>
    public JsonNode? BodyJson()
    {
        if (Body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(Body);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public override string ToString() => $"{Method} {Path}{Query}";
}
