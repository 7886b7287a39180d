using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Core.Tests.Reports;

public sealed class ReportTargetTests
{
    private static ReportTarget.Event Event(string room, string eventId, string sender = "@spammer:evil.example") =>
        new(RoomId.Parse(room), EventId.Parse(eventId), UserId.Parse(sender), "m.room.message");

    [Fact]
    public void Same_event_reported_twice_has_the_same_dedupe_key()
    {
        var first = Event("!room:example.org", "$ev:example.org");
        var second = Event("!room:example.org", "$ev:example.org", "@other:example.org") with { EventType = "m.sticker" };
        Assert.Equal(first.DedupeKey, second.DedupeKey);
    }

    [Fact]
    public void Same_event_id_in_two_rooms_has_different_dedupe_keys() =>
        Assert.NotEqual(Event("!one:example.org", "$ev:example.org").DedupeKey,
            Event("!two:example.org", "$ev:example.org").DedupeKey);

    [Fact]
    public void Event_room_and_user_targets_have_different_dedupe_keys()
    {
        var room = RoomId.Parse("!room:example.org");
        var user = UserId.Parse("@spammer:example.org");
        string[] keys =
        [
            new ReportTarget.Event(room, EventId.Parse("$ev:example.org"), user, "m.room.message").DedupeKey,
            new ReportTarget.RoomTarget(room).DedupeKey,
            new ReportTarget.UserTarget(user).DedupeKey,
        ];
        Assert.Equal(3, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Different_users_have_different_dedupe_keys() =>
        Assert.NotEqual(new ReportTarget.UserTarget(UserId.Parse("@a:example.org")).DedupeKey,
            new ReportTarget.UserTarget(UserId.Parse("@b:example.org")).DedupeKey);

    /// <summary>
    /// Room IDs without a server part (room v12 form) may contain '|', the key's separator, so a
    /// plain join is ambiguous: two different events in two different rooms must never share a case.
    /// </summary>
    [Fact]
    public void Distinct_events_never_share_a_dedupe_key_even_when_ids_contain_the_separator()
    {
        var first = Event("!a", "$b|$c");
        var second = Event("!a|$b", "$c");
        Assert.NotEqual(first, second);
        Assert.NotEqual(first.DedupeKey, second.DedupeKey);
    }

    [Fact]
    public void Event_target_belongs_to_its_room_and_names_its_sender()
    {
        var target = Event("!room:example.org", "$ev:example.org", "@spammer:evil.example");
        Assert.Equal(RoomId.Parse("!room:example.org"), target.Room);
        Assert.Equal(UserId.Parse("@spammer:evil.example"), target.ReportedUser);
        Assert.Equal(TargetKind.Event, target.Kind);
    }

    [Fact]
    public void Room_target_has_a_room_and_no_reported_user()
    {
        var target = new ReportTarget.RoomTarget(RoomId.Parse("!room:example.org"));
        Assert.Equal(RoomId.Parse("!room:example.org"), target.Room);
        Assert.Null(target.ReportedUser);
        Assert.Equal(TargetKind.Room, target.Kind);
    }

    [Fact]
    public void User_target_has_no_room_and_names_the_user()
    {
        var target = new ReportTarget.UserTarget(UserId.Parse("@spammer:evil.example"));
        Assert.Null(target.Room);
        Assert.Equal(UserId.Parse("@spammer:evil.example"), target.ReportedUser);
        Assert.Equal(TargetKind.User, target.Kind);
    }
}
