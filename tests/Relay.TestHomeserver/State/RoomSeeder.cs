using System.Text.Json.Nodes;

namespace Relay.TestHomeserver.State;

/// <summary>Builds a room directly from a <see cref="RoomSetup"/> (test arrangement, no HTTP, no checks).</summary>
internal static class RoomSeeder
{
    public static Room Create(HomeserverState state, string creator, RoomSetup setup)
    {
        lock (state.Gate)
        {
            var room = state.NewRoom(setup.RoomVersion);
            var create = setup.CreationContent?.DeepClone().AsObject() ?? [];
            create["room_version"] = setup.RoomVersion;
            if (RoomVersions.HasCreatorField(setup.RoomVersion))
            {
                create["creator"] = creator;
            }

            if (RoomVersions.HasPrivilegedCreators(setup.RoomVersion) && setup.AdditionalCreators.Count > 0)
            {
                create["additional_creators"] = new JsonArray([.. setup.AdditionalCreators.Select(c => (JsonNode)c)]);
            }

            state.Append(room, creator, "m.room.create", create, "");
            var join = setup.IsDirect ? new JsonObject { ["is_direct"] = true } : null;
            state.SetMembership(room, creator, creator, "join", extra: join);
            if (!setup.WithoutPowerLevels)
            {
                var levels = setup.PowerLevels ?? PowerLevels.Default(creator, room.HasPrivilegedCreators);
                state.Append(room, creator, "m.room.power_levels", levels, "");
            }

            foreach (var member in setup.Members)
            {
                state.SetMembership(room, member, member, "join");
            }

            foreach (var extra in setup.State)
            {
                state.Append(room, creator, extra.Type, extra.Content, extra.StateKey);
            }

            return room;
        }
    }
}
