using System.Text;
using System.Text.Encodings.Web;
using Relay.Core.Reports;

namespace Relay.Host.WebForm;

/// <summary>
/// The web form's HTML: one self-contained page (inline style, no script, font, image or anything fetched from
/// elsewhere), readable with any browser and with JavaScript off. Every value from the user is HTML-escaped.
/// </summary>
public static class WebFormPage
{
    private const string Style = """
        :root { color-scheme: light; }
        body { margin: 0; background: #ffffff; color: #1a1a1a; font: 1.0625rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        main { max-width: 40rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
        h1 { font-size: 1.75rem; line-height: 1.2; }
        a { color: #0b4fb3; }
        .field { margin: 1.5rem 0; }
        label { display: block; font-weight: 600; }
        .hint { margin: 0.25rem 0; color: #3d3d3d; }
        .error { margin: 0.25rem 0; color: #a4001d; font-weight: 600; }
        input[type=text], input[type=email], select, textarea { box-sizing: border-box; width: 100%; margin-top: 0.25rem;
            padding: 0.5rem; border: 2px solid #4a4a4a; border-radius: 4px; background: #ffffff; color: #1a1a1a; font: inherit; }
        [aria-invalid=true] { border-color: #a4001d; }
        button { padding: 0.6rem 1.4rem; border: 2px solid #0b4fb3; border-radius: 4px; background: #0b4fb3; color: #ffffff;
            font: inherit; font-weight: 600; cursor: pointer; }
        :focus-visible, :focus { outline: 3px solid #e8a400; outline-offset: 2px; }
        .summary { border: 3px solid #a4001d; padding: 0.5rem 1rem; margin: 1rem 0; }
        .summary h2 { font-size: 1.25rem; margin: 0.5rem 0; }
        .reference { font: 600 1.5rem/1.3 ui-monospace, monospace; letter-spacing: 0.05em; }
        .vh { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
        """;

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>The form, with the user's values and a message per field when <paramref name="input"/> has errors.</summary>
    public static string Form(WebFormInput input, string? problem = null)
    {
        var html = new StringBuilder(16 * 1024);
        Open(html, input.Errors.Count > 0 || problem is not null ? "Error: Report harmful content" : "Report harmful content");
        html.Append("""
            <h1>Report harmful content</h1>
            <p>Tell the moderators of a Matrix room about a message or a room that breaks its rules or the law. You do
            not need a Matrix account. If you have one, you can also report from your Matrix client.</p>

            """);
        ErrorSummary(html, input, problem);
        html.Append("<form method=\"post\">\n");

        FieldStart(html, input, WebFormInput.LinkField, "Link to the message or room",
            "In most Matrix clients: open the message's menu and choose Share or Copy link. It looks like "
            + "https://matrix.to/#/!room:example.org/$event or #room:example.org.");
        html.Append("<input type=\"text\" id=\"link\" name=\"link\" required autocomplete=\"off\" spellcheck=\"false\" inputmode=\"url\"");
        Described(html, input, WebFormInput.LinkField);
        html.Append(" value=\"").Append(Html.Encode(input.Link)).Append("\">\n</div>\n");

        FieldStart(html, input, WebFormInput.HarmField, "What kind of harm is it?", null);
        html.Append("<select id=\"harm\" name=\"harm\" required");
        Described(html, input, WebFormInput.HarmField);
        html.Append(">\n<option value=\"\">Choose one</option>\n");
        HarmOptions(html, input.Harm);
        html.Append("</select>\n</div>\n");

        FieldStart(html, input, WebFormInput.DescriptionField, "What is wrong?",
            $"Up to {WebFormInput.MaxDescriptionBytes} bytes (about as many letters; fewer with emoji or non-Latin "
            + "scripts). Needed when you choose General/Other.");
        html.Append("<textarea id=\"description\" name=\"description\" rows=\"6\"");
        Described(html, input, WebFormInput.DescriptionField);
        html.Append('>').Append(Html.Encode(input.Description)).Append("</textarea>\n</div>\n");

        FieldStart(html, input, WebFormInput.ContactField, "Your e-mail address (optional)",
            "Only if the moderators may contact you about this report: the moderators of this case see it, in their case "
            + "room and on their dashboard. It is never shown to the person you report.");
        html.Append("<input type=\"email\" id=\"contact\" name=\"contact\" autocomplete=\"email\" maxlength=\"")
            .Append(WebFormInput.MaxContactChars).Append('"');
        Described(html, input, WebFormInput.ContactField);
        html.Append(" value=\"").Append(Html.Encode(input.Contact)).Append("\">\n</div>\n");

        html.Append("""
            <div class="vh" aria-hidden="true">
            <label for="website">Leave this field empty</label>
            <input type="text" id="website" name="website" tabindex="-1" autocomplete="off" value="">
            </div>
            <p class="hint">Relay keeps the link, the kind of harm, your description and, if you give it, your e-mail
            address. Your network address is used to stop floods of reports and is stored only as a keyed hash.</p>
            <button type="submit">Send report</button>
            </form>
            """);
        return Close(html);
    }

    /// <summary>The thank-you page: the case reference and nothing about other reports or reporters.</summary>
    public static string Confirmation(string caseReference)
    {
        var html = new StringBuilder(4 * 1024);
        Open(html, "Report received");
        html.Append("<h1>Thank you, your report was received</h1>\n<p>Your case reference is</p>\n<p class=\"reference\">")
            .Append(Html.Encode(caseReference))
            .Append("""
                </p>
                <p>The room's moderators will look at it. Quote the reference if you contact them about this report.</p>
                <p><a href="report">Report something else</a></p>
                """);
        return Close(html);
    }

    private static void ErrorSummary(StringBuilder html, WebFormInput input, string? problem)
    {
        if (input.Errors.Count == 0 && problem is null)
        {
            return;
        }
        html.Append("<div class=\"summary\" role=\"alert\" tabindex=\"-1\">\n<h2>There is a problem</h2>\n");
        if (problem is not null)
        {
            html.Append("<p>").Append(Html.Encode(problem)).Append("</p>\n");
        }
        if (input.Errors.Count > 0)
        {
            html.Append("<ul>\n");
            foreach (var (field, message) in input.Errors)
            {
                html.Append("<li><a href=\"#").Append(field).Append("\">").Append(Html.Encode(message)).Append("</a></li>\n");
            }
            html.Append("</ul>\n");
        }
        html.Append("</div>\n");
    }

    private static void FieldStart(StringBuilder html, WebFormInput input, string field, string label, string? hint)
    {
        html.Append("<div class=\"field\">\n<label for=\"").Append(field).Append("\">").Append(Html.Encode(label)).Append("</label>\n");
        if (hint is not null)
        {
            html.Append("<p class=\"hint\" id=\"").Append(field).Append("-hint\">").Append(Html.Encode(hint)).Append("</p>\n");
        }
        if (input.Errors.TryGetValue(field, out var error))
        {
            html.Append("<p class=\"error\" id=\"").Append(field).Append("-error\"><span class=\"vh\">Error: </span>")
                .Append(Html.Encode(error)).Append("</p>\n");
        }
    }

    /// <summary>aria-describedby naming the hint and the error, and aria-invalid when there is an error.</summary>
    private static void Described(StringBuilder html, WebFormInput input, string field)
    {
        var ids = new List<string>(2);
        if (field != WebFormInput.HarmField)
        {
            ids.Add(field + "-hint");
        }
        if (input.Errors.ContainsKey(field))
        {
            ids.Add(field + "-error");
            html.Append(" aria-invalid=\"true\"");
        }
        if (ids.Count > 0)
        {
            html.Append(" aria-describedby=\"").Append(string.Join(' ', ids)).Append('"');
        }
    }

    /// <summary>MSC4456's harms grouped by category; a General/Other entry names its category so it reads alone.</summary>
    private static void HarmOptions(StringBuilder html, string selected)
    {
        HarmCategory? chosen = HarmCategory.TryParse(selected, out var parsed) ? parsed : null;
        foreach (var group in HarmCategory.InTaxonomyOrder.GroupBy(h => h.CategoryName))
        {
            html.Append("<optgroup label=\"").Append(Html.Encode(group.Key)).Append("\">\n");
            foreach (var harm in group)
            {
                var name = harm.Name == "General/Other" ? $"{harm.CategoryName}: General/Other" : harm.Name;
                html.Append("<option value=\"").Append(harm.Id).Append('"')
                    .Append(harm == chosen ? " selected" : "")
                    .Append('>').Append(Html.Encode(name)).Append("</option>\n");
            }
            html.Append("</optgroup>\n");
        }
    }

    private static void Open(StringBuilder html, string title)
    {
        html.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"robots\" content=\"noindex\">\n<title>")
            .Append(Html.Encode(title)).Append(" – Relay</title>\n<style>\n").Append(Style).Append("\n</style>\n</head>\n<body>\n<main>\n");
    }

    private static string Close(StringBuilder html) => html.Append("</main>\n</body>\n</html>\n").ToString();
}
