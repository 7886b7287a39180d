using System.Text.Json.Nodes;

namespace Relay.TestHomeserver.State;

internal sealed record TokenOwner(string UserId, string DeviceId);

/// <summary>
/// All in-memory homeserver state. Every member takes <see cref="Gate"/>; the lock is re-entrant, so an endpoint
/// can hold it across a check and the change that depends on it.
/// </summary>
internal sealed class HomeserverState(string serverName, TimeProvider time)
{
    private readonly HashSet<string> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TokenOwner> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _transactions = new(StringComparer.Ordinal);
    private readonly List<ReceivedReport> _reports = [];

    public Lock Gate { get; } = new();

    public string ServerName { get; } = serverName;

    public TimeProvider Time { get; } = time;

    public string RegisterUser(string userId)
    {
        var token = Ids.Token();
        AddToken(userId, token);
        return token;
    }

    public void AddToken(string userId, string token)
    {
        lock (Gate)
        {
            _users.Add(userId);
            _tokens[token] = new TokenOwner(userId, Ids.DeviceId());
        }
    }

    public void RevokeToken(string token)
    {
        lock (Gate)
        {
            _tokens.Remove(token);
        }
    }

    public IReadOnlyList<string> RoomIds()
    {
        lock (Gate)
        {
            return [.. _rooms.Keys];
        }
    }

    public TokenOwner? ResolveToken(string token)
    {
        lock (Gate)
        {
            return _tokens.GetValueOrDefault(token);
        }
    }

    /// <summary>A user is known once registered, given a token, or given any membership.</summary>
    public bool IsKnownUser(string userId)
    {
        lock (Gate)
        {
            return _users.Contains(userId) || _rooms.Values.Any(r => r.Membership(userId) is not null);
        }
    }

    public void NoteUser(string userId)
    {
        lock (Gate)
        {
            _users.Add(userId);
        }
    }

    public Room NewRoom(string version)
    {
        lock (Gate)
        {
            var room = new Room(Ids.RoomId(version, ServerName), version);
            _rooms.Add(room.Id, room);
            return room;
        }
    }

    public Room? Room(string roomId)
    {
        lock (Gate)
        {
            return _rooms.GetValueOrDefault(roomId);
        }
    }

    public Room RequireRoom(string roomId) =>
        Room(roomId) ?? throw new ArgumentException($"Unknown room {roomId}", nameof(roomId));

    /// <summary>Appends an event without any checks and returns it (the stored instance).</summary>
    /// <summary>Raised under <see cref="Gate"/> after each event is appended, in order; handlers must not block.</summary>
    public event Action<Room, JsonObject>? Appended;

    public JsonObject Append(Room room, string sender, string type, JsonObject content, string? stateKey = null, string? redacts = null)
    {
        lock (Gate)
        {
            var evt = new JsonObject
            {
                ["event_id"] = Ids.EventId(),
                ["room_id"] = room.Id,
                ["sender"] = sender,
                ["type"] = type,
                ["content"] = content.DeepClone(),
                ["origin_server_ts"] = Time.GetUtcNow().ToUnixTimeMilliseconds(),
            };
            if (stateKey is not null)
            {
                evt["state_key"] = stateKey;
            }

            if (redacts is not null)
            {
                evt["redacts"] = redacts;
            }

            evt["unsigned"] = new JsonObject();
            room.Append(evt);
            if (type == "m.room.member" && stateKey is not null)
            {
                _users.Add(stateKey);
            }

            Appended?.Invoke(room, evt);
            return evt;
        }
    }

    /// <summary>Writes an m.room.member event for <paramref name="target"/>.</summary>
    public JsonObject SetMembership(Room room, string sender, string target, string membership, string? reason = null, JsonObject? extra = null)
    {
        var content = extra?.DeepClone().AsObject() ?? [];
        content["membership"] = membership;
        if (reason is not null)
        {
            content["reason"] = reason;
        }

        return Append(room, sender, "m.room.member", content, target);
    }

    /// <summary>The event as a client would see it: a copy with unsigned.age filled in.</summary>
    public JsonObject ClientEvent(JsonObject stored)
    {
        lock (Gate)
        {
            var copy = stored.DeepClone().AsObject();
            var age = Time.GetUtcNow().ToUnixTimeMilliseconds() - (long)copy["origin_server_ts"]!;
            var unsigned = copy["unsigned"] as JsonObject ?? [];
            unsigned["age"] = Math.Max(0, age);
            copy["unsigned"] = unsigned;
            return copy;
        }
    }

    public string? ResolveAlias(string alias)
    {
        lock (Gate)
        {
            return _aliases.GetValueOrDefault(alias);
        }
    }

    public bool TryAddAlias(string alias, string roomId)
    {
        lock (Gate)
        {
            return _aliases.TryAdd(alias, roomId);
        }
    }

    public bool RemoveAlias(string alias)
    {
        lock (Gate)
        {
            return _aliases.Remove(alias);
        }
    }

    public IReadOnlyList<string> AliasesOf(string roomId)
    {
        lock (Gate)
        {
            return [.. _aliases.Where(a => a.Value == roomId).Select(a => a.Key)];
        }
    }

    /// <summary>Runs <paramref name="create"/> once per key and returns its first result on every later call.</summary>
    public string Once(string key, Func<string> create)
    {
        lock (Gate)
        {
            if (!_transactions.TryGetValue(key, out var result))
            {
                result = create();
                _transactions[key] = result;
            }

            return result;
        }
    }

    public void AddReport(ReceivedReport report)
    {
        lock (Gate)
        {
            _reports.Add(report);
        }
    }

    public IReadOnlyList<ReceivedReport> Reports
    {
        get
        {
            lock (Gate)
            {
                return [.. _reports];
            }
        }
    }
}
