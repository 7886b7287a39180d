using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Relay.Core.Escalation;

namespace Relay.Channels.CyberTipline;

/// <summary>
/// <c>Relay__CyberTipline__*</c>: the ISP web services base URL (NCMEC's test endpoint unless set), the credentials NCMEC
/// issued, and the person NCMEC may contact about reports (the <c>reporter</c> of every report).
/// </summary>
public sealed record CyberTiplineSettings(
    Uri BaseUrl,
    string? Username,
    string? Password,
    string? ReporterFirstName,
    string? ReporterLastName,
    string? ReporterEmail,
    string Platform = "Matrix")
{
    public static Uri TestEndpoint { get; } = new("https://exttest.cybertip.org/ispws/");
}

/// <summary>
/// NCMEC's CyberTipline reporting API: HTTP Basic authentication, <c>POST /submit</c> with the <c>&lt;report&gt;</c> XML
/// (answered by <c>&lt;reportResponse&gt;</c> with a <c>responseCode</c> and the <c>reportId</c>), then
/// <c>POST /finish</c> with the form field <c>id</c> (answered by <c>&lt;reportDoneResponse&gt;</c>). A non-zero
/// response code is a failure even with HTTP 200. No file is ever uploaded: Relay never holds media.
/// </summary>
public sealed class CyberTiplineClient(HttpClient http, CyberTiplineSettings settings) : ICyberTipline
{
    private const int MaxResponseBytes = 1024 * 1024;

    private static readonly Lazy<XmlSchemaSet> Schema = new(LoadSchema);

    public bool IsConfigured => !string.IsNullOrEmpty(settings.Username) && !string.IsNullOrEmpty(settings.Password);

    public async Task<string> SubmitAsync(CyberTiplineReport report, CancellationToken cancellationToken = default)
    {
        var xml = Build(report);
        var problems = Validate(xml);
        if (problems.Count > 0)
        {
            throw new CyberTiplineException("the report XML fails the CyberTipline schema, so it was not sent: " + string.Join("; ", problems), 4100);
        }
        var content = new StringContent(xml.ToString(SaveOptions.DisableFormatting), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        var answer = await PostAsync("submit", content, "reportResponse", cancellationToken);
        return answer.Element("reportId")?.Value is { Length: > 0 } id
            ? id
            : throw new CyberTiplineException("/submit answered success without a reportId", null);
    }

    public async Task FinishAsync(string reportId, CancellationToken cancellationToken = default) =>
        await PostAsync("finish", new FormUrlEncodedContent([new KeyValuePair<string, string>("id", reportId)]), "reportDoneResponse", cancellationToken);

    /// <summary>The <c>&lt;report&gt;</c> document, elements in the schema's order.</summary>
    public XDocument Build(CyberTiplineReport report)
    {
        var person = new XElement("reportingPerson");
        Add(person, "firstName", settings.ReporterFirstName);
        Add(person, "lastName", settings.ReporterLastName);
        Add(person, "email", settings.ReporterEmail);
        var root = new XElement("report",
            new XElement("incidentSummary",
                new XElement("incidentType", report.IncidentType),
                new XElement("platform", settings.Platform),
                new XElement("incidentDateTime", report.IncidentAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))),
            new XElement("internetDetails",
                new XElement("chatImIncident",
                    new XElement("chatClient", "Matrix"),
                    new XElement("chatRoomName", report.ChatRoom),
                    new XElement("additionalInfo", report.Details))),
            new XElement("reporter", person));
        if (report.ReportedUser is { } user)
        {
            root.Add(new XElement("personOrUserReported",
                new XElement("espIdentifier", user),
                new XElement("espService", "Matrix" + (report.ReportedUserServer is { } server ? $" (homeserver {server})" : "")),
                new XElement("screenName", user),
                new XElement("thirdPartyUserReported", "true")));
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    /// <summary>Schema problems of <paramref name="xml"/> (empty when valid).</summary>
    public static IReadOnlyList<string> Validate(XDocument xml)
    {
        var problems = new List<string>();
        xml.Validate(Schema.Value, (_, e) => problems.Add(e.Message));
        return problems;
    }

    private async Task<XElement> PostAsync(string path, HttpContent content, string expectedRoot, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Base(), path)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.Username}:{settings.Password}")));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new CyberTiplineException($"/{path} could not be reached ({e.GetType().Name})", null, e);
        }
        using (response)
        {
            var root = await ParseAsync(response, cancellationToken);
            if (root is null || root.Name.LocalName != expectedRoot)
            {
                throw new CyberTiplineException($"/{path} answered HTTP {(int)response.StatusCode} without a {expectedRoot}", null);
            }
            var code = int.TryParse(root.Element("responseCode")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : -1;
            if (code != 0)
            {
                var description = root.Element("responseDescription")?.Value is { Length: > 0 } d ? $": {d}" : "";
                throw new CyberTiplineException($"/{path} answered response code {code}{description}", code);
            }
            return root;
        }
    }

    /// <summary>The answer's root element, parsed without DTDs and within 1 MiB; null when it is not XML.</summary>
    private static async Task<XElement?> ParseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            return null;
        }
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (body.Length == 0 || body.Length > MaxResponseBytes)
        {
            return null;
        }
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = MaxResponseBytes,
            });
            return XDocument.Load(reader).Root;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private Uri Base() => settings.BaseUrl.AbsoluteUri.EndsWith('/') ? settings.BaseUrl : new Uri(settings.BaseUrl.AbsoluteUri + "/");

    private static void Add(XElement parent, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            parent.Add(new XElement(name, value.Trim()));
        }
    }

    private static XmlSchemaSet LoadSchema()
    {
        using var stream = typeof(CyberTiplineClient).Assembly.GetManifestResourceStream("Relay.Channels.cybertipline-report.xsd")
            ?? throw new InvalidOperationException("The CyberTipline schema is not embedded.");
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        var set = new XmlSchemaSet { XmlResolver = null };
        set.Add(null, reader);
        set.Compile();
        return set;
    }
}
