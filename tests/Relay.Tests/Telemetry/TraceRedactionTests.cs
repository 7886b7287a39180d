using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Relay.Core.Dashboard;
using Relay.Host.Telemetry;
using Relay.Tests.Dashboard;

namespace Relay.Tests.Telemetry;

/// <summary>What the exported traces say about URLs: never a sign-in token, a session token or a query value.</summary>
public sealed class TraceRedactionTests
{
    [Fact]
    public async Task A_sign_in_link_reaches_traces_as_its_route_template_never_its_token()
    {
        var exported = new RecordingProcessor();
        // Relay's own tracing set-up (an exporter is chosen from settings read before tests can add theirs), recorded.
        await using var world = await DashboardWorld.CreateAsync(services: services =>
            services.AddOpenTelemetry().WithTracing(tracing => TelemetrySetup.AddRelayTracing(tracing).AddProcessor(exported)));
        using var browser = world.NewBrowser();
        var token = DashboardTokens.New();

        await browser.GetAsync("/_relay/link/" + token);
        await browser.GetAsync("/_relay/cases?room=" + Uri.EscapeDataString(world.RoomA) + "&secret=" + token);
        await browser.GetAsync("/_relay/no-such-page/" + token);

        // A server activity ends just after its response is sent (and other tests' end too): wait for these three.
        Func<Activity, bool>[] expected =
        [
            a => (string?)a.GetTagItem("url.path") == "/_relay/link/{token}",
            a => (string?)a.GetTagItem("url.query") == "room={redacted}&secret={redacted}",
            a => (string?)a.GetTagItem("url.path") == "/_relay/no-such-page/{redacted}",
        ];
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!expected.All(e => exported.Activities.Any(a => a.Kind == ActivityKind.Server && e(a))) && DateTime.UtcNow < deadline)
        {
            await exported.ServerActivities.WaitAsync(TimeSpan.FromMilliseconds(500));
        }
        var requests = exported.Activities.Where(a => a.Kind == ActivityKind.Server).ToList();
        Assert.All(expected, e => Assert.Contains(requests, a => e(a)));
        Assert.All(exported.Activities, a =>
        {
            Assert.DoesNotContain(token, a.DisplayName, StringComparison.Ordinal);
            Assert.DoesNotContain(a.TagObjects, tag => tag.Value?.ToString()?.Contains(token, StringComparison.Ordinal) == true);
            Assert.DoesNotContain(a.TagObjects, tag => tag.Value?.ToString()?.Contains(world.RoomA, StringComparison.Ordinal) == true);
        });
    }

    [Theory]
    [InlineData("/_matrix/client/v3/rooms/!abc:example.org/report/$ev", "/_matrix/client/v3/rooms/{redacted}/report/{redacted}")]
    [InlineData("/_relay/link/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde", "/_relay/link/{redacted}")]
    [InlineData("/_matrix/client/v3/profile/%40alice%3Aexample.org", "/_matrix/client/v3/profile/{redacted}")]
    [InlineData("/healthz", "/healthz")]
    public void Paths_keep_their_api_words_and_lose_everything_else(string path, string shown) =>
        Assert.Equal(shown, TelemetryRedaction.Path(path));

    [Fact]
    public void Outgoing_calls_are_exported_without_ids_or_query()
    {
        using var activity = new Activity("test");
        using var request = new HttpRequestMessage(HttpMethod.Put,
            "https://matrix.example.org/_matrix/client/v3/rooms/%21r%3Aexample.org/send/m.room.message/txn1?user_id=%40bob%3Aexample.org");

        TelemetryRedaction.Outgoing(activity, request);

        Assert.Equal("https://matrix.example.org/_matrix/client/v3/rooms/{redacted}/send/m.room.message/txn1",
            activity.GetTagItem("url.full"));
    }

    private sealed class RecordingProcessor : BaseProcessor<Activity>
    {
        private readonly List<Activity> _ended = [];

        public SemaphoreSlim ServerActivities { get; } = new(0);

        public IReadOnlyList<Activity> Activities
        {
            get
            {
                lock (_ended)
                {
                    return [.. _ended];
                }
            }
        }

        public override void OnEnd(Activity data)
        {
            lock (_ended)
            {
                _ended.Add(data);
            }
            if (data.Kind == ActivityKind.Server)
            {
                ServerActivities.Release();
            }
        }
    }
}
