using Microsoft.Extensions.DependencyInjection;
using System.Text.RegularExpressions;
using Relay.Core.Cases;
using Relay.Core.Reports;
using Relay.TestHomeserver;
using Relay.Tests.Harness;

namespace Relay.Tests.WebForm;

/// <summary>
/// Relay with one room it is configured to protect (the bot joined, as after an invite), a spam message in it,
/// and forwarded-for trusted so each test request can come "from" its own address.
/// </summary>
public sealed partial class WebFormSetup : IAsyncDisposable
{
    private WebFormSetup(RelayHarness relay, string room, string spammer)
    {
        Relay = relay;
        Room = room;
        Spammer = spammer;
        Spam = relay.Message(room, spammer, "buy now at evil.example");
    }

    public RelayHarness Relay { get; }

    public string Room { get; }

    public string Spammer { get; }

    public string Spam { get; }

    public string SpamLink => $"https://matrix.to/#/{Uri.EscapeDataString(Room)}/{Uri.EscapeDataString(Spam)}?via=example.org";

    public static async Task<WebFormSetup> StartAsync(IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        string room = "", spammer = "";
        var relay = await RelayHarness.StartAsync(hs =>
        {
            var alice = $"@alice:{hs.ServerName}";
            spammer = $"@mallory:{hs.ServerName}";
            hs.RegisterUser(alice);
            hs.RegisterUser(spammer);
            room = hs.CreateRoom(alice, new RoomSetup { Members = [spammer, hs.SenderUserId] });
            var all = new Dictionary<string, string?>
            {
                ["Relay:Reports:ProtectedRooms:0"] = room,
                ["Relay:Http:TrustForwardedFor"] = "true",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                all[key] = value;
            }
            return all;
        }, services);
        return new WebFormSetup(relay, room, spammer);
    }

    public static Dictionary<string, string> Fields(string link, string harm = "m.spam.fraud", string description = "phishing",
        string contact = "", string? website = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["link"] = link,
            ["harm"] = harm,
            ["description"] = description,
            ["contact"] = contact,
        };
        if (website is not null)
        {
            fields["website"] = website;
        }
        return fields;
    }

    public Dictionary<string, string> SpamReport(string description = "phishing", string contact = "") =>
        Fields(SpamLink, description: description, contact: contact);

    public async Task<(HttpResponseMessage Response, string Html)> PostAsync(IDictionary<string, string> fields, string from = "192.0.2.10")
    {
        using var content = new FormUrlEncodedContent(fields);
        return await PostAsync(content, from);
    }

    public async Task<(HttpResponseMessage Response, string Html)> PostAsync(HttpContent content, string from = "192.0.2.10",
        bool chunked = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/report") { Content = content };
        request.Headers.TransferEncodingChunked = chunked;
        request.Headers.Add("X-Forwarded-For", from);
        var response = await Relay.Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    public async Task<IReadOnlyList<Case>> CasesAsync() => await Relay.Cases.ListCasesAsync(new CaseQuery());

    public async Task<IReadOnlyList<Report>> AllReportsAsync()
    {
        var reports = new List<Report>();
        foreach (var c in await CasesAsync())
        {
            reports.AddRange(await Relay.Cases.GetReportsAsync(c.Id));
        }
        return reports;
    }

    /// <summary>The reference shown on the confirmation page.</summary>
    public static string Reference(string html) => ReferencePattern().Match(html).Groups[1].Value;

    [GeneratedRegex("<p class=\"reference\">([0-9A-Z]{8})</p>")]
    private static partial Regex ReferencePattern();

    public ValueTask DisposeAsync() => Relay.DisposeAsync();
}
