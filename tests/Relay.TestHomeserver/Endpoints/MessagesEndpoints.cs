using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Relay.TestHomeserver.Http;

namespace Relay.TestHomeserver.Endpoints;

/// <summary>
/// rooms.yaml: GET /rooms/{roomId}/messages, backwards only (<c>dir=b</c>), for joined members, under the room's history
/// visibility. Honours <c>from</c> (a previous page's <c>end</c>; absent: the newest event), <c>limit</c> and the
/// RoomEventFilter's <c>senders</c> and <c>types</c>. Tokens are <c>t{index}</c>: the page holds events before that index.
/// </summary>
internal static class MessagesEndpoints
{
    private const int DefaultLimit = 10;
    private const int MaxLimit = 1000;

    public static RouteTable MapMessages(this RouteTable routes) =>
        routes.Client("GET", "rooms/{roomId}/messages", AuthMode.User, GetMessages);

    private static Task<RouteResult> GetMessages(RequestContext context)
    {
        if (context.Query("dir") != "b")
        {
            throw MatrixException.InvalidParam("This test homeserver pages backwards only (dir=b).");
        }
        var limit = Limit(context.Query("limit"));
        var (senders, types) = Filter(context.Query("filter"));
        var room = context.JoinedRoomOrForbidden(context.RoomIdParam());
        lock (context.State.Gate)
        {
            var timeline = room.Timeline;
            var index = From(context.Query("from"), timeline.Count);
            var chunk = new JsonArray();
            while (index > 0 && chunk.Count < limit)
            {
                var evt = timeline[--index];
                var id = (string)evt["event_id"]!;
                if ((senders is null || senders.Contains((string)evt["sender"]!))
                    && (types is null || types.Contains((string)evt["type"]!))
                    && room.IsVisibleTo(context.Caller.UserId, id))
                {
                    chunk.Add((JsonNode)context.State.ClientEvent(evt));
                }
            }
            var body = new JsonObject { ["chunk"] = chunk, ["start"] = context.Query("from") ?? Token(timeline.Count) };
            if (index > 0)
            {
                body["end"] = Token(index);
            }
            return Task.FromResult<RouteResult>(body);
        }
    }

    private static int Limit(string? value)
    {
        if (value is null)
        {
            return DefaultLimit;
        }
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0
            ? Math.Min(limit, MaxLimit)
            : throw MatrixException.InvalidParam($"limit must be a positive integer, not '{value}'.");
    }

    private static int From(string? token, int count)
    {
        if (token is null)
        {
            return count;
        }
        return token.StartsWith('t') && int.TryParse(token[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index <= count
            ? index
            : throw MatrixException.InvalidParam($"Unknown pagination token '{token}'.");
    }

    private static (HashSet<string>? Senders, HashSet<string>? Types) Filter(string? json)
    {
        if (json is null)
        {
            return (null, null);
        }
        JsonObject filter;
        try
        {
            filter = JsonNode.Parse(json) as JsonObject ?? throw MatrixException.BadJson("filter must be a JSON object.");
        }
        catch (JsonException)
        {
            throw MatrixException.NotJson("filter is not JSON.");
        }
        return (Strings(filter, "senders"), Strings(filter, "types"));
    }

    private static HashSet<string>? Strings(JsonObject filter, string name) => filter[name] switch
    {
        null => null,
        JsonArray array => [.. array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s
            : throw MatrixException.BadJson($"filter.{name} must be an array of strings."))],
        _ => throw MatrixException.BadJson($"filter.{name} must be an array of strings."),
    };

    private static string Token(int index) => "t" + index.ToString(CultureInfo.InvariantCulture);
}
