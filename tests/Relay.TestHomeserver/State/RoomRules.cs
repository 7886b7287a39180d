using Relay.TestHomeserver.Http;

namespace Relay.TestHomeserver.State;

/// <summary>The subset of event authorisation the fake enforces: membership and power levels. Call under <see cref="HomeserverState.Gate"/>.</summary>
internal static class RoomRules
{
    public static void RequireJoined(Room room, string userId)
    {
        if (!room.IsJoined(userId))
        {
            throw MatrixException.Forbidden($"{userId} is not in room {room.Id}.");
        }
    }

    public static void RequireLevel(Room room, string userId, long needed, string what)
    {
        var level = PowerLevels.UserLevel(room, userId);
        if (level < needed)
        {
            throw MatrixException.Forbidden($"{userId} has power {level} but {what} needs {needed}.");
        }
    }

    public static void RequireAction(Room room, string userId, string action) =>
        RequireLevel(room, userId, PowerLevels.ActionLevel(room, action), action);

    /// <summary>Kicking and banning also need strictly more power than the target.</summary>
    public static void RequireAbove(Room room, string userId, string target, string action)
    {
        RequireAction(room, userId, action);
        if (PowerLevels.UserLevel(room, userId) <= PowerLevels.UserLevel(room, target))
        {
            throw MatrixException.Forbidden($"{userId} cannot {action} {target}: not more powerful.");
        }
    }

    public static void RequireCanSend(Room room, string userId, string type, string? stateKey)
    {
        RequireJoined(room, userId);
        var isState = stateKey is not null;
        RequireLevel(room, userId, PowerLevels.EventLevel(room, type, isState), $"sending {type}");
        if (isState && stateKey!.StartsWith('@') && stateKey != userId && type != "m.room.member")
        {
            throw MatrixException.Forbidden($"State key {stateKey} belongs to another user.");
        }
    }
}
