using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;

namespace Relay.Host.Dashboard;

/// <summary>
/// The names moderators know rooms by (<c>m.room.name</c>, else the canonical alias), read by the bot and kept a few minutes,
/// so a page of 25 cases costs a handful of homeserver requests once and none on the refresh. A room the bot cannot read
/// has no name, and pages show its ID.
/// </summary>
public sealed class RoomNames(IMatrixBot bot, TimeProvider time, ILogger<RoomNames> logger)
{
    private static readonly TimeSpan Kept = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<RoomId, (string? Name, DateTimeOffset Until)> _known = new();

    public async Task<IReadOnlyDictionary<RoomId, string>> NamesAsync(IEnumerable<RoomId> rooms, CancellationToken cancellationToken)
    {
        var names = new Dictionary<RoomId, string>();
        foreach (var room in rooms.Distinct())
        {
            if (await NameAsync(room, cancellationToken) is { } name)
            {
                names[room] = name;
            }
        }
        return names;
    }

    private async Task<string?> NameAsync(RoomId room, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_known.TryGetValue(room, out var known) && known.Until > now)
        {
            return known.Name;
        }
        string? name = null;
        try
        {
            name = Text(await bot.GetStateAsync(room, "m.room.name", "", cancellationToken), "name")
                ?? Text(await bot.GetStateAsync(room, "m.room.canonical_alias", "", cancellationToken), "alias");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A name is a courtesy: the page shows the ID instead, and asks again after a while.
            logger.LogDebug("No name for a room ({Error})", e.GetType().Name);
        }
        _known[room] = (name, now + Kept);
        return name;
    }

    private static string? Text(JsonObject? content, string field) =>
        content?[field] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
