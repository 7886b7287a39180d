using System.Text.Json.Nodes;
using Relay.TestHomeserver.Http;

namespace Relay.TestHomeserver.Endpoints;

/// <summary>whoami.yaml</summary>
internal static class AccountEndpoints
{
    public static RouteTable MapAccount(this RouteTable routes) =>
        routes.Client("GET", "account/whoami", AuthMode.User, WhoAmI);

    private static Task<RouteResult> WhoAmI(RequestContext context)
    {
        var body = new JsonObject { ["user_id"] = context.Caller.UserId, ["is_guest"] = false };
        if (context.Caller.DeviceId is { } device)
        {
            body["device_id"] = device;
        }

        return Task.FromResult<RouteResult>(body);
    }
}
