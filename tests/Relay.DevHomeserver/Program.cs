using System.Globalization;
using System.Text.Json.Nodes;
using Relay.TestHomeserver;

// A throwaway homeserver on loopback with one room, a member to report and one to be reported.
// Fixed tokens so the README's commands can be pasted as they are.
var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8008;
// Where Relay listens (its registration url); the README's default unless given.
var relayUrl = new Uri(args.Length > 1 ? args[1] : "http://127.0.0.1:7071/");
await using var homeserver = await TestHomeserver.StartAsync(new TestHomeserverOptions
{
    Port = port,
    AsToken = "dev-as-token",
    HsToken = "dev-hs-token",
    // Where the README starts Relay, as a real registration's url: Relay's start-up ping then succeeds instead of warning.
    AppserviceUrl = relayUrl,
    // As a homeserver does: events in the bot's rooms (and invites for it) reach Relay in transactions, retried until
    // Relay is up, so 🚩, !report, DMs and case-room commands can be tried.
    PushTransactions = true,
});
homeserver.AddToken("@alice:hs.test", "alice-token");
homeserver.AddToken("@mallory:hs.test", "mallory-token");
var room = homeserver.CreateRoom("@alice:hs.test", new RoomSetup { Members = ["@mallory:hs.test"] });
var message = homeserver.SendEvent(room, "@mallory:hs.test", "m.room.message",
    new JsonObject { ["msgtype"] = "m.text", ["body"] = "buy cheap followers" });
// Protected as the README says: @alice (the creator, so a moderator) gives the bot power to redact and invites it; the
// invite reaches Relay once it runs, and Relay joins and protects the room.
var levels = homeserver.GetState(room, "m.room.power_levels")!;
levels["users"]![homeserver.SenderUserId] = 50;
homeserver.SendEvent(room, "@alice:hs.test", "m.room.power_levels", levels, "");
homeserver.SetMembership(room, "@alice:hs.test", homeserver.SenderUserId, "invite");

var url = homeserver.BaseUrl.ToString().TrimEnd('/');
var flag = "{\"m.relates_to\":{\"rel_type\":\"m.annotation\",\"event_id\":\"" + message + "\",\"key\":\"🚩\"}}";
Console.WriteLine($$"""
    Dev homeserver on {{url}} (server name {{homeserver.ServerName}}). Ctrl+C stops it.

    Start Relay against it (another terminal, from the repository root):
      export Relay__Homeserver__Url={{url}} Relay__Homeserver__ServerName={{homeserver.ServerName}}
      export Relay__Appservice__AsToken={{homeserver.AsToken}} Relay__Appservice__HsToken={{homeserver.HsToken}}
      dotnet run --project functions/Relay.Host

    Report @mallory's message as @alice (token alice-token):
      curl -X POST -H 'Authorization: Bearer alice-token' \
        '{{relayUrl.ToString().TrimEnd('/')}}/_matrix/client/v3/rooms/{{Uri.EscapeDataString(room)}}/report/{{Uri.EscapeDataString(message)}}' \
        -d '{"reason":"spam"}'

    Then list the case:
      dotnet run --project functions/Relay.Host -- cases list --json

    Or report it from inside the room with a 🚩 reaction as @alice (Relay redacts it and DMs her the case):
      curl -X PUT -H 'Authorization: Bearer alice-token' \
        'http://127.0.0.1:{{port}}/_matrix/client/v3/rooms/{{Uri.EscapeDataString(room)}}/send/m.reaction/flag1' \
        -d '{{flag}}'

    @alice moderates the room, so she is invited to each case room (printed below as "bot in !case..."). To act on a
    case as her, join its room and send a command, e.g. !ban (replace CASE_ROOM with the case room's ID):
      curl -X POST -H 'Authorization: Bearer alice-token' 'http://127.0.0.1:{{port}}/_matrix/client/v3/join/CASE_ROOM' -d '{}'
      curl -X PUT -H 'Authorization: Bearer alice-token' \
        'http://127.0.0.1:{{port}}/_matrix/client/v3/rooms/CASE_ROOM/send/m.room.message/cmd1' -d '{"msgtype":"m.text","body":"!ban"}'

    The web form ({{relayUrl}}report) takes this room once Relay protects it (it logs "Now protecting").
    Messages the bot sends (case rooms, DMs) are printed here.
    """);

var stop = new TaskCompletionSource();
// There is no client to read with, so print what the bot says (case summaries, DMs such as a dashboard sign-in link).
_ = Task.Run(() => EchoBotMessagesAsync(homeserver, stop.Task));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
// `kill` (SIGTERM) too: the homeserver's own host takes that signal, so ProcessExit alone never fired and it kept running.
using var terminated = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.TrySetResult();
});
await stop.Task;

static async Task EchoBotMessagesAsync(TestHomeserver homeserver, Task stopped)
{
    var seen = new HashSet<string>(StringComparer.Ordinal);
    while (!stopped.IsCompleted)
    {
        foreach (var roomId in homeserver.RoomIds())
        {
            foreach (var e in homeserver.Timeline(roomId))
            {
                if ((string?)e["sender"] == homeserver.SenderUserId && (string?)e["type"] == "m.room.message"
                    && e["event_id"]?.GetValue<string>() is { } id && seen.Add(id))
                {
                    var to = string.Join(", ", homeserver.Members(roomId, "invite").Concat(homeserver.Members(roomId))
                        .Where(m => m != homeserver.SenderUserId));
                    Console.WriteLine($"bot in {roomId} (with {to}):\n  {((string?)e["content"]?["body"])?.Replace("\n", "\n  ", StringComparison.Ordinal)}");
                }
            }
        }
        await Task.WhenAny(stopped, Task.Delay(500));
    }
}
