using System.Net;
using System.Text;

namespace Relay.Tests.WebForm;

public sealed class WebFormValidationTests
{
    public static TheoryData<string, string, string, string, string, string> Invalid => new()
    {
        // field, link, harm, description, contact, message shown
        { "link", "", "m.spam.fraud", "x", "", "Enter the link to the message or room" },
        { "link", "https://example.org/not-matrix", "m.spam.fraud", "x", "", "This is not a Matrix message or room link" },
        { "link", "https://matrix.to/#/!room:example.org/not-an-event", "m.spam.fraud", "x", "", "This is not a Matrix message or room link" },
        { "link", "!" + new string('a', 300) + ":example.org", "m.spam.fraud", "x", "", "not a valid Matrix room ID or address" },
        { "harm", "SPAM", "", "x", "", "Choose the kind of harm" },
        { "harm", "SPAM", "m.spam.phishing", "x", "", "Choose one of the listed kinds of harm" },
        { "description", "SPAM", "m.spam", "", "", "a description is needed for a General/Other harm" },
        { "description", "SPAM", "m.spam.fraud", new string('é', 513), "", "is 1026 bytes long; the limit is 1024 bytes" },
        { "contact", "SPAM", "m.spam.fraud", "x", "no-at-sign", "Enter an e-mail address like name@example.org" },
        { "contact", "SPAM", "m.spam.fraud", "x", "two@at@example.org", "Enter an e-mail address like name@example.org" },
        { "contact", "SPAM", "m.spam.fraud", "x", "with space@example.org", "Enter an e-mail address like name@example.org" },
        { "contact", "SPAM", "m.spam.fraud", "x", new string('a', 250) + "@x.org", "Enter an e-mail address like name@example.org" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Each_invalid_field_re_renders_the_form_with_its_message_and_stores_nothing(
        string field, string link, string harm, string description, string contact, string message)
    {
        await using var s = await WebFormSetup.StartAsync();
        var fields = WebFormSetup.Fields(link == "SPAM" ? s.SpamLink : link, harm, description, contact);

        var (response, html) = await s.PostAsync(fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.GetValues("Content-Security-Policy").SingleOrDefault());
        Assert.Contains($"<p class=\"error\" id=\"{field}-error\">", html, StringComparison.Ordinal);
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Contains($"<li><a href=\"#{field}\">", html, StringComparison.Ordinal);
        Assert.Empty(await s.CasesAsync());
        Assert.Empty(s.Relay.Homeserver.Violations);
    }

    [Fact]
    public async Task Errors_keep_the_users_values_html_escaped()
    {
        await using var s = await WebFormSetup.StartAsync();
        var fields = WebFormSetup.Fields("\"><script>alert(1)</script>", "m.spam.fraud",
            "<script>alert('x')</script> & \"quoted\"", "<b>@example.org");

        var (response, html) = await s.PostAsync(fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;", html, StringComparison.Ordinal);
        Assert.Contains("value=\"&quot;&gt;&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"m.spam.fraud\" selected>", html, StringComparison.Ordinal);
        Assert.Empty(await s.CasesAsync());
    }

    [Fact]
    public async Task Description_of_exactly_1024_bytes_is_accepted()
    {
        await using var s = await WebFormSetup.StartAsync();

        var (response, _) = await s.PostAsync(s.SpamReport(description: new string('é', 512)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new string('é', 512), Assert.Single(await s.AllReportsAsync()).Reason);
    }

    [Fact]
    public async Task Body_over_16_KiB_is_refused_with_413()
    {
        await using var s = await WebFormSetup.StartAsync();

        var (response, html) = await s.PostAsync(s.SpamReport(description: new string('x', 17 * 1024)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than 16 KiB", html, StringComparison.Ordinal);
        Assert.Empty(await s.CasesAsync());
    }

    [Fact]
    public async Task Body_over_16_KiB_without_a_length_is_refused_with_413()
    {
        await using var s = await WebFormSetup.StartAsync();
        var body = "link=x&description=" + new string('x', 17 * 1024);
        using var content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes(body)));
        content.Headers.ContentType = new("application/x-www-form-urlencoded");

        var (response, _) = await s.PostAsync(content, chunked: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await s.CasesAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_a_url_encoded_form_is_refused_with_415()
    {
        await using var s = await WebFormSetup.StartAsync();
        using var json = new StringContent("{\"link\":\"x\"}", Encoding.UTF8, "application/json");

        var (response, html) = await s.PostAsync(json);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("<form", html, StringComparison.Ordinal);
    }
}
