using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Appservice;
using Relay.Core.Cases;
using Relay.Core.Cases.Actions;
using Relay.Core.Cases.Rooms;
using Relay.Core.Cases.Threshold;
using Relay.Core.Escalation;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Core.Queue;
using Relay.TestHomeserver;

namespace Relay.Tests.Azure;

/// <summary>The report threshold on the Azure runtime: the kept text and the audit in Table Storage, the restore read back from them.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureThresholdRuleTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Two_reporters_hide_the_event_with_its_text_in_Table_Storage_and_restore_reposts_it()
    {
        await using var homeserver = await TestHomeserver.TestHomeserver.StartAsync();
        string U(string name) => $"@{name}:{homeserver.ServerName}";
        var bot = homeserver.SenderUserId;
        foreach (var name in new[] { "owner", "mod", "alice", "bob", "mallory" })
        {
            homeserver.RegisterUser(U(name));
        }
        var room = homeserver.CreateRoom(U("owner"), new RoomSetup
        {
            Members = [U("mod"), U("alice"), U("bob"), U("mallory"), bot],
            PowerLevels = new JsonObject
            {
                ["users"] = new JsonObject { [U("owner")] = 100, [U("mod")] = 50, [bot] = 100 },
                ["state_default"] = 50, ["redact"] = 50,
            },
        });
        homeserver.SendEvent(room, U("mod"), ThresholdSetting.EventType, new JsonObject { ["reporters"] = 2 }, stateKey: "");
        var spam = homeserver.SendEvent(room, U("mallory"), "m.room.message", new JsonObject { ["msgtype"] = "m.text", ["body"] = "kept in tables" });
        await using var relay = await AzureRelayApp.StartAsync(azurite, homeserverUrl: homeserver.BaseUrl.ToString(),
            serverName: homeserver.ServerName, asToken: homeserver.AsToken, hsToken: homeserver.HsToken);
        var services = relay.App.Services;
        await services.GetRequiredService<IProtectedRoomStore>().ProtectAsync(RoomId.Parse(room), UserId.Parse(U("owner")), DateTimeOffset.UtcNow);

        foreach (var reporter in new[] { "alice", "bob" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post,
                $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(room)}/report/{Uri.EscapeDataString(spam)}")
            {
                Content = JsonContent.Create(new { reason = "spam" }),
            };
            request.Headers.Authorization = new("Bearer", homeserver.RegisterUser(U(reporter)));
            Assert.Equal(HttpStatusCode.OK, (await relay.Client.SendAsync(request)).StatusCode);
        }
        var handler = services.GetRequiredService<OpenCase>();
        foreach (var message in relay.Queue.Queued.Where(m => m.Topic == Topics.ReportReceived).ToList())
        {
            await handler.HandleAsync(new QueueDelivery(message, 1, false), CancellationToken.None);
        }

        var cases = services.GetRequiredService<ICaseStore>();
        var c = Assert.Single(await cases.ListCasesAsync(new CaseQuery()));
        Assert.Contains(homeserver.Timeline(room), e => (string?)e["type"] == "m.room.redaction" && (string?)e["redacts"] == spam);
        Assert.Contains("kept in tables", Assert.Single(await services.GetRequiredService<IEvidenceStore>().GetAsync(c.Id)).Content, StringComparison.Ordinal);
        Assert.Single(await cases.GetAuditAsync(c.Id), a => a.Action == ThresholdRedactions.Redacted);

        var command = homeserver.SendEvent(c.CaseRoom!.Value.Value, U("mod"), "m.room.message", new JsonObject { ["msgtype"] = "m.text", ["body"] = "!restore" });
        var outcome = await services.GetRequiredService<CaseRoomEvents>().HandleAsync(new RoomEvent(c.CaseRoom!.Value, EventId.Parse(command),
            UserId.Parse(U("mod")), "m.room.message", null, new JsonObject { ["msgtype"] = "m.text", ["body"] = "!restore" }));

        Assert.Equal(CaseEventOutcome.Done, outcome);
        Assert.Contains(homeserver.Timeline(room), e => (string?)e["sender"] == bot
            && ((string?)e["content"]?["body"])?.EndsWith(": kept in tables", StringComparison.Ordinal) == true);
    }
}
