using System.Text.Json.Nodes;

namespace Relay.TestHomeserver.Http;

/// <summary>A successful answer: status and JSON body (an object, or an array for GET /state).</summary>
internal sealed record RouteResult(int Status, JsonNode Body)
{
    public static RouteResult Ok(JsonNode body) => new(200, body);

    public static RouteResult Empty() => new(200, new JsonObject());

    public static implicit operator RouteResult(JsonObject body) => Ok(body);

    public static implicit operator RouteResult(JsonArray body) => Ok(body);
}
