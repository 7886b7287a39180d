using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Relay.Host.Telemetry;

/// <summary>
/// What traces may say about a URL. Sign-in links carry their token in the path (<c>/_relay/link/{token}</c>), Matrix
/// paths carry room, user and event IDs, and a deprecated <c>?access_token=</c> would sit in the query: so an incoming
/// request is exported by its route template (the parameters' names, not their values), an unrouted one by its
/// path with every segment that is not a plain word replaced, and query values never.
/// </summary>
public static class TelemetryRedaction
{
    public const string Redacted = "{redacted}";

    /// <summary>Overwrites the instrumentation's <c>url.path</c> and <c>url.query</c> once routing has run.</summary>
    public static void IncomingResponse(Activity activity, HttpResponse response)
    {
        var request = response.HttpContext.Request;
        var template = (response.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern;
        activity.SetTag("url.path", template is null ? Path(request.Path.Value) : Template(template));
        activity.SetTag("url.query", Query(request.QueryString.Value));
    }

    /// <summary>Before routing (and for requests that never reach it) the path is shown with its secrets replaced.</summary>
    public static void IncomingRequest(Activity activity, HttpRequest request)
    {
        activity.SetTag("url.path", Path(request.Path.Value));
        activity.SetTag("url.query", Query(request.QueryString.Value));
    }

    /// <summary>Outgoing calls (homeserver, support servers, webhooks): scheme, host and a redacted path only.</summary>
    public static void Outgoing(Activity activity, HttpRequestMessage request)
    {
        if (request.RequestUri is not { IsAbsoluteUri: true } uri)
        {
            return;
        }
        activity.SetTag("url.full", $"{uri.Scheme}://{uri.Authority}{Path(uri.AbsolutePath)}");
    }

    /// <summary>
    /// Keeps segments that are API words (<c>_matrix</c>, <c>v3</c>, <c>m.room.message</c>, <c>cases</c>): lower-case
    /// letters, digits, '.', '_' and '-', and no more than 32 of them. Tokens, IDs and percent-escapes are replaced.
    /// </summary>
    public static string Path(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }
        var parts = path.Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length > 0 && !IsWord(parts[i]))
            {
                parts[i] = Redacted;
            }
        }
        return string.Join('/', parts);
    }

    /// <summary>The query's names with every value replaced; null when there is no query.</summary>
    public static string? Query(string? query)
    {
        if (string.IsNullOrEmpty(query) || query == "?")
        {
            return null;
        }
        var shown = new StringBuilder();
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = pair.Split('=', 2)[0];
            shown.Append(shown.Length == 0 ? "" : "&").Append(IsWord(name) ? name : Redacted).Append('=').Append(Redacted);
        }
        return shown.ToString();
    }

    private static string Template(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => Redacted,
        }))));

    private static bool IsWord(string segment) =>
        segment.Length <= 32 && segment.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-');
}
