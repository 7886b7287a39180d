using System.Text.Json.Nodes;
using Relay.TestHomeserver.Http;

namespace Relay.TestHomeserver.Endpoints;

/// <summary>The createRoom body, checked against create_room.yaml.</summary>
internal sealed record CreateRoomRequest(
    string? Visibility,
    string? RoomAliasName,
    string? Name,
    string? Topic,
    IReadOnlyList<string> Invite,
    string? RoomVersion,
    JsonObject? CreationContent,
    IReadOnlyList<StateEventSetup> InitialState,
    string? Preset,
    bool IsDirect,
    JsonObject? PowerLevelContentOverride)
{
    public static CreateRoomRequest Parse(JsonObject body)
    {
        body.OptionalArray("invite_3pid");
        return new CreateRoomRequest(
            body.OptionalEnum("visibility", "public", "private"),
            body.OptionalString("room_alias_name"),
            body.OptionalString("name"),
            body.OptionalString("topic"),
            [.. body.OptionalStringArray("invite").Select(u => MatrixIds.UserId(u, "invitee"))],
            body.OptionalString("room_version"),
            body.OptionalObject("creation_content"),
            InitialStateOf(body),
            body.OptionalEnum("preset", "private_chat", "public_chat", "trusted_private_chat"),
            body.OptionalBool("is_direct") ?? false,
            body.OptionalObject("power_level_content_override"));
    }

    private static IReadOnlyList<StateEventSetup> InitialStateOf(JsonObject body)
    {
        var list = body.OptionalArray("initial_state");
        if (list is null)
        {
            return [];
        }

        return [.. list.Select(item =>
        {
            var evt = item as JsonObject ?? throw MatrixException.BadJson("initial_state items must be objects");
            var content = evt.OptionalObject("content") ?? throw MatrixException.BadJson("initial_state items need 'content'");
            return new StateEventSetup(evt.RequiredString("type"), content, evt.OptionalString("state_key") ?? "");
        })];
    }
}
