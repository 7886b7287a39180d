using System.Text.Json.Nodes;

namespace Relay.TestHomeserver.State;

/// <summary>One room's timeline and current state. Not thread-safe by itself: guarded by <see cref="HomeserverState.Gate"/>.</summary>
internal sealed class Room(string id, string version)
{
    private readonly List<JsonObject> _timeline = [];
    private readonly Dictionary<string, JsonObject> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Type, string StateKey), JsonObject> _state = [];

    // Until some history_visibility event says "invited" or "joined", every event is visible to a joined member, and
    // GET /event stays a dictionary lookup (the intake benchmark fetches through it tens of thousands of times a second).
    private bool _historyEverRestricted;

    public string Id { get; } = id;

    public string Version { get; } = version;

    /// <summary>Room directory visibility ("public" or "private"), as set by createRoom.</summary>
    public string Visibility { get; set; } = "private";

    /// <summary>Room v12 and later: creators have infinite power and room ids carry no server name.</summary>
    public bool HasPrivilegedCreators => RoomVersions.HasPrivilegedCreators(Version);

    public IReadOnlyList<JsonObject> Timeline => _timeline;

    public IEnumerable<JsonObject> CurrentState => _state.Values;

    public void Append(JsonObject evt)
    {
        _timeline.Add(evt);
        _byId[(string)evt["event_id"]!] = evt;
        if (evt["state_key"] is { } stateKey)
        {
            _state[((string)evt["type"]!, (string)stateKey!)] = evt;
            _historyEverRestricted |= HistoryVisibility(evt) is "invited" or "joined";
        }
    }

    /// <summary>
    /// The client-server spec's history visibility rules, for a member who is joined now: under <c>shared</c> and
    /// <c>world_readable</c> they see every event; under <c>invited</c> only events sent while they were invited or
    /// joined; under <c>joined</c> only events sent while they were joined. The visibility and membership that count
    /// are those in force when the event was sent.
    /// </summary>
    public bool IsVisibleTo(string userId, string eventId)
    {
        if (!IsJoined(userId) || !_byId.ContainsKey(eventId))
        {
            return false;
        }
        if (!_historyEverRestricted)
        {
            return true;
        }
        var visibility = "shared";
        string? membership = null;
        foreach (var evt in _timeline)
        {
            if ((string?)evt["event_id"] == eventId)
            {
                return visibility switch
                {
                    "invited" => membership is "invite" or "join",
                    "joined" => membership is "join",
                    _ => true,
                };
            }
            visibility = HistoryVisibility(evt) ?? visibility;
            if ((string?)evt["type"] == "m.room.member" && (string?)evt["state_key"] == userId)
            {
                membership = (string?)evt["content"]?["membership"];
            }
        }
        return false;
    }

    private static string? HistoryVisibility(JsonObject evt) =>
        (string?)evt["type"] == "m.room.history_visibility" ? (string?)evt["content"]?["history_visibility"] : null;

    public JsonObject? Event(string eventId) => _byId.GetValueOrDefault(eventId);

    public JsonObject? StateEvent(string type, string stateKey) => _state.GetValueOrDefault((type, stateKey));

    public string? Membership(string userId) =>
        (string?)StateEvent("m.room.member", userId)?["content"]?["membership"];

    public bool IsJoined(string userId) => Membership(userId) == "join";

    public IEnumerable<string> Members(string membership) =>
        _state
            .Where(s => s.Key.Type == "m.room.member" && (string?)s.Value["content"]?["membership"] == membership)
            .Select(s => s.Key.StateKey);

    /// <summary>The sender of m.room.create plus, from v12, content.additional_creators.</summary>
    public IReadOnlyList<string> Creators()
    {
        var create = StateEvent("m.room.create", "");
        if (create is null)
        {
            return [];
        }

        List<string> creators = [(string)create["sender"]!];
        if (HasPrivilegedCreators && create["content"]?["additional_creators"] is JsonArray more)
        {
            creators.AddRange(more.Select(n => (string?)n).OfType<string>());
        }

        return creators;
    }
}
