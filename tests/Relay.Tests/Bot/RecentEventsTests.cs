using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Relay.Core.Cases.Actions;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Matrix.Bot;
using Relay.TestHomeserver;
using Relay.Tests.Harness;
using Homeserver = Relay.TestHomeserver.TestHomeserver;

namespace Relay.Tests.Bot;

/// <summary>
/// Reading an offender's recent events for !clear recent: GET /messages backwards with a senders filter, paged by its
/// end token, bounded by age (the injected clock) and count, skipping state, redactions and redacted events.
/// </summary>
public sealed class RecentEventsTests : IAsyncLifetime, IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero));
    private Homeserver _hs = null!;
    private HttpClient _http = null!;
    private MatrixBot _bot = null!;
    private string _room = null!;

    private string Mallory => $"@mallory:{_hs.ServerName}";

    private string Alice => $"@alice:{_hs.ServerName}";

    public async Task InitializeAsync()
    {
        _hs = await Homeserver.StartAsync(new TestHomeserverOptions { TimeProvider = _clock });
        _http = new HttpClient { BaseAddress = _hs.BaseUrl };
        _bot = new MatrixBot(_http, new MatrixBotOptions(_hs.AsToken, UserId.Parse(_hs.SenderUserId), _hs.AppserviceId), new InstantTimeProvider());
        _hs.RegisterUser(Mallory);
        _hs.RegisterUser(Alice);
        _room = _hs.CreateRoom(_hs.SenderUserId, new RoomSetup { Members = [Mallory, Alice] });
    }

    public async Task DisposeAsync() => await _hs.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private string Say(string sender, string body) =>
        _hs.SendEvent(_room, sender, "m.room.message", new JsonObject { ["msgtype"] = "m.text", ["body"] = body });

    [Fact]
    public async Task Pages_go_backwards_through_only_the_senders_events_until_the_start_of_the_room()
    {
        var mine = Enumerable.Range(0, 5).Select(i => { Say(Alice, "hi " + i); return Say(Mallory, "spam " + i); }).ToList();

        var seen = new List<string>();
        string? from = null;
        for (var page = 0; page < 10; page++)
        {
            var read = await _bot.GetEventsBySenderAsync(RoomId.Parse(_room), UserId.Parse(Mallory), from, 2);
            Assert.All(read.Events, e => Assert.Equal(Mallory, e.Sender.Value));
            seen.AddRange(read.Events.Where(e => e.Type == "m.room.message").Select(e => e.EventId.Value));
            if (read.End is null)
            {
                break;
            }
            from = read.End;
        }

        Assert.Equal(Enumerable.Reverse(mine), seen);
        Assert.Contains(_hs.Requests, r => r.Path.EndsWith("/messages", StringComparison.Ordinal) && r.Query.Contains("dir=b", StringComparison.Ordinal));
        Assert.Empty(_hs.Violations);
    }

    [Fact]
    public async Task Recent_events_stop_at_the_age_cut_off_and_skip_state_redactions_and_redacted_events()
    {
        var old = Say(Mallory, "yesterday's spam");
        _clock.Advance(TimeSpan.FromHours(25));
        var since = _clock.GetUtcNow() - ClearRaidAction.RecentWindow;
        var recent = Say(Mallory, "today's spam");
        var gone = Say(Mallory, "already removed");
        await _bot.RedactAsync(RoomId.Parse(_room), EventId.Parse(gone), "t1");
        _hs.SendEvent(_room, Mallory, "m.room.member", new JsonObject { ["membership"] = "join", ["displayname"] = "spam" }, Mallory);
        var alices = Say(Alice, "not mallory");
        var last = Say(Mallory, "more spam");

        var found = await RecentEvents.OfAsync(_bot, RoomId.Parse(_room), UserId.Parse(Mallory), since, max: 100, CancellationToken.None);

        Assert.Equal([last, recent], found.Select(e => e.Value));
        Assert.DoesNotContain(old, found.Select(e => e.Value));
        Assert.DoesNotContain(alices, found.Select(e => e.Value));
    }

    [Fact]
    public async Task Recent_events_are_capped_at_the_maximum_newest_first()
    {
        var sent = Enumerable.Range(0, 7).Select(i => Say(Mallory, "spam " + i)).ToList();

        var found = await RecentEvents.OfAsync(_bot, RoomId.Parse(_room), UserId.Parse(Mallory), _clock.GetUtcNow().AddHours(-1), max: 3,
            CancellationToken.None);

        Assert.Equal(Enumerable.Reverse(sent).Take(3), found.Select(e => e.Value));
    }
}
