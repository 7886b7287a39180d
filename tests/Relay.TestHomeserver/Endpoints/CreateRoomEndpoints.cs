using System.Text.Json.Nodes;
using Relay.TestHomeserver.Http;
using Relay.TestHomeserver.State;

namespace Relay.TestHomeserver.Endpoints;

/// <summary>create_room.yaml: builds the room's events in the order the spec lists.</summary>
internal static class CreateRoomEndpoints
{
    public static RouteTable MapCreateRoom(this RouteTable routes) =>
        routes.Client("POST", "createRoom", AuthMode.User, CreateRoom);

    private static Task<RouteResult> CreateRoom(RequestContext context)
    {
        var request = CreateRoomRequest.Parse(context.Body);
        var creator = context.Caller.UserId;
        var version = request.RoomVersion ?? "10";
        if (!RoomVersions.Known.Contains(version))
        {
            throw new MatrixException(400, "M_UNSUPPORTED_ROOM_VERSION", $"Room version {version} is not supported.");
        }

        var name = request.RoomAliasName;
        var alias = name is null ? null : $"#{name}:{context.Core.ServerName}";
        lock (context.State.Gate)
        {
            if (alias is not null)
            {
                if (name!.Length == 0 || name.Any(c => c is ':' or '#' || char.IsWhiteSpace(c)))
                {
                    throw MatrixException.InvalidParam($"room_alias_name '{name}' is not a valid alias localpart");
                }

                if (context.Core.Appservice.OwnsAlias(alias) && !context.Caller.IsAppservice)
                {
                    throw new MatrixException(400, "M_EXCLUSIVE", $"{alias} is in an application service's exclusive namespace");
                }

                if (context.State.ResolveAlias(alias) is not null)
                {
                    throw new MatrixException(400, "M_ROOM_IN_USE", $"Room alias {alias} already taken.");
                }
            }

            var room = context.State.NewRoom(version);
            room.Visibility = request.Visibility ?? "private";
            var preset = request.Preset ?? (request.Visibility == "public" ? "public_chat" : "private_chat");
            var state = context.State;

            state.Append(room, creator, "m.room.create", CreateContent(request, version, creator, preset), "");
            state.SetMembership(room, creator, creator, "join");
            state.Append(room, creator, "m.room.power_levels", Levels(request, room, creator, preset), "");
            if (alias is not null)
            {
                state.TryAddAlias(alias, room.Id);
                state.Append(room, creator, "m.room.canonical_alias", new JsonObject { ["alias"] = alias }, "");
            }

            state.Append(room, creator, "m.room.join_rules", new JsonObject { ["join_rule"] = preset == "public_chat" ? "public" : "invite" }, "");
            state.Append(room, creator, "m.room.history_visibility", new JsonObject { ["history_visibility"] = "shared" }, "");
            state.Append(room, creator, "m.room.guest_access", new JsonObject { ["guest_access"] = preset == "public_chat" ? "forbidden" : "can_join" }, "");
            foreach (var initial in request.InitialState)
            {
                state.Append(room, creator, initial.Type, initial.Content, initial.StateKey);
            }

            if (request.Name is not null)
            {
                state.Append(room, creator, "m.room.name", new JsonObject { ["name"] = request.Name }, "");
            }

            if (request.Topic is not null)
            {
                state.Append(room, creator, "m.room.topic", new JsonObject { ["topic"] = request.Topic }, "");
            }

            foreach (var invitee in request.Invite)
            {
                var extra = request.IsDirect ? new JsonObject { ["is_direct"] = true } : null;
                state.SetMembership(room, creator, invitee, "invite", extra: extra);
            }

            return Task.FromResult<RouteResult>(new JsonObject { ["room_id"] = room.Id });
        }
    }

    private static JsonObject CreateContent(CreateRoomRequest request, string version, string creator, string preset)
    {
        var content = request.CreationContent?.DeepClone().AsObject() ?? [];
        content["room_version"] = version;
        if (RoomVersions.HasCreatorField(version))
        {
            content["creator"] = creator;
        }
        else
        {
            content.Remove("creator");
        }

        if (RoomVersions.HasPrivilegedCreators(version) && preset == "trusted_private_chat" && request.Invite.Count > 0)
        {
            var existing = content["additional_creators"] as JsonArray ?? [];
            foreach (var invitee in request.Invite)
            {
                existing.Add((JsonNode)invitee);
            }

            content["additional_creators"] = existing;
        }

        return content;
    }

    /// <summary>Defaults, trusted_private_chat invitees at the creator's level (before v12), then the override's top-level keys.</summary>
    private static JsonObject Levels(CreateRoomRequest request, Room room, string creator, string preset)
    {
        var levels = PowerLevels.Default(creator, room.HasPrivilegedCreators);
        if (room.HasPrivilegedCreators)
        {
            levels["events"]!["m.room.tombstone"] = 150;
        }
        else if (preset == "trusted_private_chat")
        {
            foreach (var invitee in request.Invite)
            {
                levels["users"]![invitee] = 100;
            }
        }

        foreach (var (key, value) in request.PowerLevelContentOverride ?? [])
        {
            levels[key] = value?.DeepClone();
        }

        return levels;
    }
}
