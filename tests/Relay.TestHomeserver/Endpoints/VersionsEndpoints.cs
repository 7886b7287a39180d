using System.Text.Json.Nodes;
using Relay.TestHomeserver.Http;

namespace Relay.TestHomeserver.Endpoints;

/// <summary>versions.yaml</summary>
internal static class VersionsEndpoints
{
    private static readonly string[] Versions =
    [
        "r0.6.1", "v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6", "v1.7", "v1.8", "v1.9",
        "v1.10", "v1.11", "v1.12", "v1.13", "v1.14", "v1.15", "v1.16", "v1.17", "v1.18",
    ];

    public static RouteTable MapVersions(this RouteTable routes) =>
        routes.Add("GET", "/_matrix/client/versions", AuthMode.Optional, GetVersions);

    private static Task<RouteResult> GetVersions(RequestContext context) =>
        Task.FromResult<RouteResult>(new JsonObject
        {
            ["versions"] = new JsonArray([.. Versions.Select(v => (JsonNode)v)]),
            ["unstable_features"] = new JsonObject(),
        });
}
