using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Relay.TestHomeserver.State;

namespace Relay.TestHomeserver.Appservice;

/// <summary>
/// Sends the appservice the events it is interested in, in order, batched into transactions, as a homeserver does:
/// a transaction that fails is sent again (same txnId, same events) after a growing pause until it is answered 200.
/// </summary>
internal sealed class TransactionPusher : IAsyncDisposable
{
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(5);

    private readonly HomeserverCore _core;
    private readonly AppserviceClient _client;
    private readonly Channel<JsonObject> _events = Channel.CreateUnbounded<JsonObject>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pushing;

    public TransactionPusher(HomeserverCore core, AppserviceClient client)
    {
        _core = core;
        _client = client;
        core.State.Appended += OnAppended;
        _pushing = Task.Run(() => PushAsync(_stop.Token));
    }

    private void OnAppended(Room room, JsonObject evt)
    {
        if (IsInterested(room, evt))
        {
            _events.Writer.TryWrite(_core.State.ClientEvent(evt));
        }
    }

    /// <summary>application-service registration: events from or about its users, and events in rooms its users joined.</summary>
    private bool IsInterested(Room room, JsonObject evt) =>
        _core.Appservice.OwnsUser((string)evt["sender"]!)
        || (evt["state_key"] is JsonValue key && key.TryGetValue<string>(out var stateKey) && _core.Appservice.OwnsUser(stateKey))
        || room.Members("join").Any(_core.Appservice.OwnsUser);

    private async Task PushAsync(CancellationToken stop)
    {
        var reader = _events.Reader;
        while (await reader.WaitToReadAsync(stop))
        {
            var batch = new List<JsonObject>();
            while (batch.Count < 100 && reader.TryRead(out var evt))
            {
                batch.Add(evt);
            }
            var txnId = $"dev-{Environment.ProcessId}-{Guid.NewGuid():N}";
            var pause = TimeSpan.FromMilliseconds(250);
            while (!await TrySendAsync(batch, txnId, stop))
            {
                await Task.Delay(pause, stop);
                pause = pause * 2 < MaxPause ? pause * 2 : MaxPause;
            }
        }
    }

    private async Task<bool> TrySendAsync(List<JsonObject> batch, string txnId, CancellationToken stop)
    {
        if (_core.AppserviceUrl is null)
        {
            return false;
        }
        try
        {
            using var response = await _client.PushTransactionAsync(batch, txnId, stop);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _core.State.Appended -= OnAppended;
        await _stop.CancelAsync();
        try
        {
            await _pushing;
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting for events or for the appservice.
        }
        _stop.Dispose();
    }
}
