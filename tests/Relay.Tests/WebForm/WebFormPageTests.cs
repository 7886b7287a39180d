using System.Net;
using Relay.Core.Reports;
using Relay.Host.WebForm;
using Relay.Tests.Harness;

namespace Relay.Tests.WebForm;

public sealed class WebFormPageTests
{
    [Fact]
    public async Task Get_renders_the_form_with_every_harm_grouped_by_category_and_the_security_headers()
    {
        await using var relay = await RelayHarness.StartAsync();

        var response = await relay.Client.GetAsync("/report");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
            response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        foreach (var harm in HarmCategory.All)
        {
            Assert.Contains($"<option value=\"{harm.Id}\"", html, StringComparison.Ordinal);
        }
        foreach (var group in new[] { "Spam", "Adult Content &amp; Safety", "Harassment", "Violence", "Child Safety", "Dangers",
                     "Terms of Service", "Other" })
        {
            Assert.Contains($"<optgroup label=\"{group}\">", html, StringComparison.Ordinal);
        }
        Assert.Contains(">Child Sexual Abuse Material (CSAM)</option>", html, StringComparison.Ordinal);
        foreach (var field in new[] { "link", "harm", "description", "contact" })
        {
            Assert.Contains($"<label for=\"{field}\">", html, StringComparison.Ordinal);
            Assert.Contains($"id=\"{field}\" name=\"{field}\"", html, StringComparison.Ordinal);
        }
        Assert.Contains(":focus-visible", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(relay.Homeserver.Violations);
    }

    [Fact]
    public void Confirmation_page_holds_the_reference_and_nothing_about_other_reporters()
    {
        var html = WebFormPage.Confirmation("7K3QW9ZD");

        Assert.Contains("7K3QW9ZD", html, StringComparison.Ordinal);
        Assert.DoesNotContain("reporter", html, StringComparison.OrdinalIgnoreCase);
    }
}
