using System.Globalization;
using System.Text.Json.Nodes;
using Relay.Core.Identifiers;

namespace Relay.Core.Moderation;

/// <summary>
/// What the moderator rule needs from a room's <c>m.room.create</c> event: its room version and who
/// created it (the <c>creator</c> content field before room version 11, the sender since), plus the
/// <c>additional_creators</c> of room version 12.
/// </summary>
public sealed record RoomCreateFacts(string RoomVersion, UserId Sender, UserId? ContentCreator, IReadOnlyList<UserId> AdditionalCreators)
{
    /// <summary>Reads the event's sender and content; a missing <c>room_version</c> means version "1", as the spec says.</summary>
    public static RoomCreateFacts From(UserId sender, JsonObject? content)
    {
        var version = content?["room_version"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "1";
        UserId? creator = content?["creator"] is JsonValue c && c.TryGetValue<string>(out var raw) && UserId.TryParse(raw, out var parsed)
            ? parsed
            : null;
        var additional = new List<UserId>();
        if (content?["additional_creators"] is JsonArray list)
        {
            foreach (var item in list)
            {
                if (item is JsonValue value && value.TryGetValue<string>(out var id) && UserId.TryParse(id, out var user))
                {
                    additional.Add(user);
                }
            }
        }
        return new RoomCreateFacts(version, sender, creator, additional);
    }

    /// <summary>Room version 12 (and its preview, org.matrix.hydra.11) and later give creators infinite power.</summary>
    public bool CreatorsArePrivileged =>
        RoomVersion == "org.matrix.hydra.11"
        || (int.TryParse(RoomVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 12);

    /// <summary>Before version 11 the creator is named in content; from 11 on it is the sender.</summary>
    private bool CreatorIsSender =>
        CreatorsArePrivileged
        || (int.TryParse(RoomVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 11);

    /// <summary>The room's creators: one before version 12, the sender and the additional creators from 12 on.</summary>
    public IReadOnlyList<UserId> Creators
    {
        get
        {
            if (CreatorsArePrivileged)
            {
                return [Sender, .. AdditionalCreators.Where(u => u != Sender)];
            }
            return [CreatorIsSender ? Sender : ContentCreator ?? Sender];
        }
    }
}
