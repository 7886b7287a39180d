using System.Net;
using System.Text.RegularExpressions;

namespace Relay.Tests.Dashboard;

/// <summary>What a browser does with the dashboard, over real HTTP: cookies kept, redirects left for the test to see.</summary>
public sealed partial class Browser : IDisposable
{
    private readonly DashboardWorld _world;
    private readonly CookieContainer _cookies = new();
    private readonly HttpClient _http;

    public Browser(DashboardWorld world)
    {
        _world = world;
        _http = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(world.Base),
        };
    }

    public string SessionToken => _cookies.GetCookies(new Uri(_world.Base + "/_relay/"))["relay_session"]?.Value ?? "";

    /// <summary>Drops every cookie, as a fresh browser (or an attacker without them) would be.</summary>
    public void ForgetCookies()
    {
        foreach (Cookie cookie in _cookies.GetAllCookies())
        {
            cookie.Expired = true;
        }
    }

    public void SetSessionCookie(string token) => _cookies.Add(new Uri(_world.Base), new Cookie("relay_session", token, "/_relay/"));

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public async Task<string> PageAsync(string path)
    {
        var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The CSRF token of the first form on the page.</summary>
    public async Task<string> CsrfAsync(string path) => Field(await PageAsync(path), "csrf");

    public Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields, string? csrf)
    {
        if (csrf is not null)
        {
            fields["csrf"] = csrf;
        }
        return _http.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    /// <summary>A POST of any body and content type (null: no Content-Type header), as no browser would send it.</summary>
    public async Task<HttpResponseMessage> PostRawAsync(string path, byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = contentType is null ? null : System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        // Relay answers 413 before reading a huge body; with 100-continue the client waits for that answer instead of
        // writing into a connection the server has closed (a broken pipe).
        request.Headers.ExpectContinue = body.Length > 64 * 1024;
        return await _http.SendAsync(request);
    }

    /// <summary>Opens the link (a confirmation page) and presses Continue.</summary>
    public async Task<HttpResponseMessage> RedeemAsync(string link)
    {
        var path = new Uri(link).AbsolutePath;
        var page = await PageAsync(path);
        return await PostFormAsync("/_relay/link", new() { ["token"] = Field(page, "token") }, Field(page, "csrf"));
    }

    /// <summary>Presses an action's button on the case page.</summary>
    public async Task<HttpResponseMessage> ActAsync(string caseId, string command, string? note = null)
    {
        var page = await PageAsync("/_relay/cases/" + caseId);
        var form = Regex.Match(page, $"<form[^>]*action=\"/_relay/cases/{caseId}/act\"[^>]*>(?:(?!</form>).)*value=\"{command}\"(?:(?!</form>).)*</form>",
            RegexOptions.Singleline);
        Assert.True(form.Success, $"No {command} form on the case page.");
        var fields = new Dictionary<string, string> { ["action"] = command, ["request"] = Field(form.Value, "request") };
        if (note is not null)
        {
            fields["note"] = note;
        }
        return await PostFormAsync($"/_relay/cases/{caseId}/act", fields, Field(form.Value, "csrf"));
    }

    public static string Field(string html, string name)
    {
        var match = Regex.Match(html, $"name=\"{name}\" value=\"([^\"]*)\"");
        Assert.True(match.Success, $"No {name} field on the page.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public void Dispose() => _http.Dispose();
}
