using System.Text.Json.Nodes;
using Relay.TestHomeserver.Http;

namespace Relay.TestHomeserver.Endpoints;

/// <summary>directory.yaml: room aliases. Aliases in the appservice's exclusive namespace belong to the appservice alone.</summary>
internal static class DirectoryEndpoints
{
    public static RouteTable MapDirectory(this RouteTable routes) => routes
        .Client("GET", "directory/room/{roomAlias}", AuthMode.None, Resolve)
        .Client("PUT", "directory/room/{roomAlias}", AuthMode.User, Create)
        .Client("DELETE", "directory/room/{roomAlias}", AuthMode.User, Delete)
        .Client("GET", "rooms/{roomId}/aliases", AuthMode.User, ListLocal, "v3");

    private static Task<RouteResult> Resolve(RequestContext context)
    {
        var alias = MatrixIds.Alias(context.Param("roomAlias"));
        var roomId = context.State.ResolveAlias(alias) ?? throw MatrixException.NotFound($"Room alias {alias} not found.");
        return Task.FromResult<RouteResult>(new JsonObject
        {
            ["room_id"] = roomId,
            ["servers"] = new JsonArray(context.Core.ServerName),
        });
    }

    private static Task<RouteResult> Create(RequestContext context)
    {
        var alias = MatrixIds.Alias(context.Param("roomAlias"));
        var roomId = MatrixIds.RoomId(context.Body.RequiredString("room_id"));
        if (MatrixIds.ServerOf(alias) != context.Core.ServerName)
        {
            throw MatrixException.InvalidParam("Room alias must be local");
        }

        CheckNamespace(context, alias, "create");
        context.RoomOrNotFound(roomId);
        if (!context.State.TryAddAlias(alias, roomId))
        {
            throw new MatrixException(409, "M_UNKNOWN", $"Room alias {alias} already exists.");
        }

        return Task.FromResult(RouteResult.Empty());
    }

    private static Task<RouteResult> Delete(RequestContext context)
    {
        var alias = MatrixIds.Alias(context.Param("roomAlias"));
        CheckNamespace(context, alias, "delete");
        return context.State.RemoveAlias(alias)
            ? Task.FromResult(RouteResult.Empty())
            : throw MatrixException.NotFound($"Room alias {alias} not found.");
    }

    private static Task<RouteResult> ListLocal(RequestContext context)
    {
        var room = context.JoinedRoomOrForbidden(context.RoomIdParam());
        return Task.FromResult<RouteResult>(new JsonObject
        {
            ["aliases"] = new JsonArray([.. context.State.AliasesOf(room.Id).Select(a => (JsonNode)a)]),
        });
    }

    private static void CheckNamespace(RequestContext context, string alias, string verb)
    {
        if (context.Core.Appservice.OwnsAlias(alias) && !context.Caller.IsAppservice)
        {
            throw new MatrixException(400, "M_EXCLUSIVE", $"Cannot {verb} {alias}: it is in an application service's exclusive namespace");
        }
    }
}
