using System.Text.Json.Nodes;

namespace Relay.TestHomeserver;

/// <summary>Initial shape of a room made by <see cref="TestHomeserver.CreateRoom"/>.</summary>
public sealed record RoomSetup
{
    public string RoomVersion { get; init; } = "10";

    /// <summary>Content of m.room.power_levels; null means the default (creator at 100).</summary>
    public JsonObject? PowerLevels { get; init; }

    /// <summary>True to create the room without any m.room.power_levels event.</summary>
    public bool WithoutPowerLevels { get; init; }

    /// <summary>Room v12 only: further creators listed in m.room.create content.additional_creators.</summary>
    public IReadOnlyList<string> AdditionalCreators { get; init; } = [];

    /// <summary>Extra m.room.create content, e.g. {"type":"m.space"}.</summary>
    public JsonObject? CreationContent { get; init; }

    /// <summary>Users joined after the creator, in order.</summary>
    public IReadOnlyList<string> Members { get; init; } = [];

    /// <summary>State events sent by the creator after the members join.</summary>
    public IReadOnlyList<StateEventSetup> State { get; init; } = [];

    /// <summary>Marks the creator's join event with is_direct.</summary>
    public bool IsDirect { get; init; }
}

public sealed record StateEventSetup(string Type, JsonObject Content, string StateKey = "");
