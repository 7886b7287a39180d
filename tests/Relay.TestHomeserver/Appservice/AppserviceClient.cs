using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Relay.TestHomeserver.Appservice;

/// <summary>Calls from the homeserver to the appservice (application-service/*.yaml), authorised with the hs_token.</summary>
internal sealed class AppserviceClient(HomeserverCore core)
{
    private long _nextTxnId;

    public async Task<HttpResponseMessage> PushTransactionAsync(IEnumerable<JsonObject> events, string? txnId, CancellationToken ct)
    {
        txnId ??= Interlocked.Increment(ref _nextTxnId).ToString(CultureInfo.InvariantCulture);
        var body = new JsonObject { ["events"] = new JsonArray([.. events.Select(e => (JsonNode)e.DeepClone())]) };
        using var request = Request(HttpMethod.Put, $"_matrix/app/v1/transactions/{Uri.EscapeDataString(txnId)}", body);
        return await core.AppserviceHttp.SendAsync(request, ct);
    }

    public HttpRequestMessage Request(HttpMethod method, string relativePath, JsonObject body)
    {
        var baseUrl = core.AppserviceUrl ?? throw new InvalidOperationException("AppserviceUrl is not set");
        var request = new HttpRequestMessage(method, new Uri(new Uri(baseUrl.ToString().TrimEnd('/') + "/"), relativePath))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", core.Appservice.HsToken);
        return request;
    }
}
