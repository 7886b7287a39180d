using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Relay.Core.Cases;
using Relay.Core.Queue;
using Relay.TestHomeserver;

namespace Relay.Tests.Azure;

/// <summary>A report end to end on the Azure runtime: checked with the homeserver, stored in Table Storage, its job sent to the queue.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureIntakeTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Reported_event_is_stored_in_Table_Storage_and_its_job_queued_for_OpenCase()
    {
        await using var homeserver = await TestHomeserver.TestHomeserver.StartAsync();
        var alice = "@alice:" + homeserver.ServerName;
        var token = homeserver.RegisterUser(alice);
        var spammer = "@spammer:" + homeserver.ServerName;
        homeserver.RegisterUser(spammer);
        // Someone else's message: a report of one's own counts as no reporter.
        var room = homeserver.CreateRoom(alice, new RoomSetup { Members = [spammer] });
        var eventId = homeserver.SendEvent(room, spammer, "m.room.message", new JsonObject { ["msgtype"] = "m.text", ["body"] = "spam" });
        await using var relay = await AzureRelayApp.StartAsync(azurite, homeserverUrl: homeserver.BaseUrl.ToString(),
            serverName: homeserver.ServerName, asToken: homeserver.AsToken, hsToken: homeserver.HsToken);
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(room)}/report/{Uri.EscapeDataString(eventId)}")
        {
            Content = JsonContent.Create(new { reason = "spam" }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        var response = await relay.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cases = relay.App.Services.GetRequiredService<ICaseStore>();
        var stored = Assert.Single(await cases.ListCasesAsync(new CaseQuery()));
        Assert.Equal(1, stored.ReporterCount);
        var message = Assert.Single(relay.Queue.Queued);
        Assert.Equal(Topics.ReportReceived, message.Topic);
        Assert.Equal(stored.Id.Value, ReportReceived.FromMessage(message)?.CaseId);
    }
}
