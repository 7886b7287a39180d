using System.Text.Json.Nodes;

namespace Relay.TestHomeserver.Http;

/// <summary>A successful answer: status and JSON body.</summary>
internal sealed record RouteResult(int Status, JsonObject Body)
{
    public static RouteResult Ok(JsonObject body) => new(200, body);

    public static RouteResult Empty() => new(200, []);

    public static implicit operator RouteResult(JsonObject body) => Ok(body);
}
