using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Relay.Tests.Escalation.Fakes;

/// <summary>
/// NCMEC's ISP web services as documented, on 127.0.0.1: HTTP Basic auth (none: 2000, wrong: 3000), <c>POST /ispws/submit</c>
/// with a <c>&lt;report&gt;</c> document checked for the required shape (4100 otherwise), <c>POST /ispws/finish</c> with the
/// form field <c>id</c> (5001 unknown, 5102 already finished). Answers are XML with a <c>responseCode</c>, HTTP 200.
/// <see cref="FailNextSubmits"/> answers the next submits with 1000 (server error).
/// </summary>
public sealed class CyberTiplineStandIn : IAsyncDisposable
{
    public const string Username = "esp-user";
    public const string Password = "esp-password";

    private static readonly HashSet<string> IncidentTypes =
    [
        "Child Pornography (possession, manufacture, and distribution)", "Child Sex Trafficking", "Child Sex Tourism",
        "Child Sexual Molestation", "Misleading Domain Name", "Misleading Words or Digital Images on the Internet",
        "Online Enticement of Children for Sexual Acts", "Unsolicited Obscene Material Sent to a Child",
    ];

    private LoopbackHttp? _http;
    private long _nextId = 7_000_001;
    private int _failSubmits;
    private int _loseFinishAnswers;

    public ConcurrentDictionary<string, bool> Reports { get; } = new();

    public ConcurrentQueue<XDocument> Submitted { get; } = new();

    public ConcurrentQueue<int> Answered { get; } = new();

    public Uri Url => new(_http!.BaseUrl, "ispws");

    public void FailNextSubmits(int times) => Interlocked.Exchange(ref _failSubmits, times);

    /// <summary>The next finishes take effect but answer 1000, as if the answer was lost on the way back.</summary>
    public void LoseNextFinishAnswers(int times) => Interlocked.Exchange(ref _loseFinishAnswers, times);

    public IDictionary<string, string?> Settings(string password = Password) => new Dictionary<string, string?>
    {
        ["Relay:CyberTipline:Url"] = Url.ToString(),
        ["Relay:CyberTipline:Username"] = Username,
        ["Relay:CyberTipline:Password"] = password,
        ["Relay:CyberTipline:ReporterFirstName"] = "Trust",
        ["Relay:CyberTipline:ReporterLastName"] = "Safety",
        ["Relay:CyberTipline:ReporterEmail"] = "safety@community.test",
    };

    public static async Task<CyberTiplineStandIn> StartAsync()
    {
        var standIn = new CyberTiplineStandIn();
        standIn._http = await LoopbackHttp.StartAsync(standIn.HandleAsync);
        return standIn;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (context.Request.Method != "POST" || path is not ("/ispws/submit" or "/ispws/finish"))
        {
            context.Response.StatusCode = 404;
            return;
        }
        var auth = context.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Basic ", StringComparison.Ordinal))
        {
            await AnswerAsync(context, "reportResponse", 2000, "Authentication required");
            return;
        }
        if (Encoding.UTF8.GetString(Convert.FromBase64String(auth["Basic ".Length..])) != $"{Username}:{Password}")
        {
            await AnswerAsync(context, "reportResponse", 3000, "Not authorized");
            return;
        }
        if (path == "/ispws/submit")
        {
            await SubmitAsync(context);
        }
        else
        {
            await FinishAsync(context);
        }
    }

    private async Task SubmitAsync(HttpContext context)
    {
        if (Interlocked.Decrement(ref _failSubmits) >= 0)
        {
            await AnswerAsync(context, "reportResponse", 1000, "Server error");
            return;
        }
        XDocument report;
        try
        {
            if (context.Request.ContentType?.StartsWith("text/xml", StringComparison.Ordinal) != true)
            {
                throw new FormatException("content type");
            }
            report = await XDocument.LoadAsync(context.Request.Body, LoadOptions.None, context.RequestAborted);
        }
        catch (Exception)
        {
            await AnswerAsync(context, "reportResponse", 4100, "Validation failed: not XML");
            return;
        }
        if (Problem(report) is { } problem)
        {
            await AnswerAsync(context, "reportResponse", 4100, "Validation failed: " + problem);
            return;
        }
        Submitted.Enqueue(report);
        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        Reports[id] = false;
        await AnswerAsync(context, "reportResponse", 0, null, id);
    }

    private async Task FinishAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var id = form["id"].ToString();
        if (!Reports.TryGetValue(id, out var finished))
        {
            await AnswerAsync(context, "reportDoneResponse", 5001, "Report does not exist", id);
            return;
        }
        if (finished)
        {
            await AnswerAsync(context, "reportDoneResponse", 5102, "Report already finished", id);
            return;
        }
        Reports[id] = true;
        if (Interlocked.Decrement(ref _loseFinishAnswers) >= 0)
        {
            await AnswerAsync(context, "reportDoneResponse", 1000, "Server error", id);
            return;
        }
        await AnswerAsync(context, "reportDoneResponse", 0, null, id);
    }

    /// <summary>What the documentation requires of a report: the parts NCMEC rejects a report without.</summary>
    private static string? Problem(XDocument report)
    {
        var root = report.Root;
        if (root?.Name.LocalName != "report")
        {
            return "root is not report";
        }
        var summary = root.Element("incidentSummary");
        if (summary?.Element("incidentType")?.Value is not { } type || !IncidentTypes.Contains(type))
        {
            return "incidentType";
        }
        if (!DateTimeOffset.TryParse(summary.Element("incidentDateTime")?.Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return "incidentDateTime";
        }
        if (root.Elements("internetDetails").All(d => !d.HasElements))
        {
            return "internetDetails";
        }
        if (root.Element("reporter")?.Element("reportingPerson")?.Element("email")?.Value is not { Length: > 0 })
        {
            return "reporter/reportingPerson/email";
        }
        var order = root.Elements().Select(e => e.Name.LocalName).ToList();
        return order.IndexOf("incidentSummary") == 0 && order.IndexOf("reporter") > order.IndexOf("internetDetails") ? null : "element order";
    }

    private async Task AnswerAsync(HttpContext context, string root, int code, string? description, string? reportId = null)
    {
        Answered.Enqueue(code);
        var answer = new XElement(root, new XElement("responseCode", code));
        if (description is not null)
        {
            answer.Add(new XElement("responseDescription", description));
        }
        if (reportId is not null)
        {
            answer.Add(new XElement("reportId", reportId));
        }
        context.Response.ContentType = "text/xml; charset=utf-8";
        await context.Response.WriteAsync(new XDocument(answer).ToString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_http is not null)
        {
            await _http.DisposeAsync();
        }
    }
}
