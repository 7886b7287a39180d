namespace Relay.TestHomeserver.Http;

internal delegate Task<RouteResult> RouteHandler(RequestContext context);

/// <summary>
/// One method on one path template. Template segments in braces are parameters; a trailing '?' lets the
/// parameter match an empty segment (state keys).
/// </summary>
internal sealed record Route(string Method, string Template, AuthMode Auth, bool HasBody, RouteHandler Handler)
{
    private readonly string[] _segments = Template.Trim('/').Split('/');

    /// <summary>Matches decoded path segments, returning the parameter values or null.</summary>
    public Dictionary<string, string>? Match(IReadOnlyList<string> segments)
    {
        if (segments.Count != _segments.Length)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < _segments.Length; i++)
        {
            var template = _segments[i];
            if (template.StartsWith('{'))
            {
                var optional = template.EndsWith("?}", StringComparison.Ordinal);
                if (segments[i].Length == 0 && !optional)
                {
                    return null;
                }

                values[template.Trim('{', '}', '?')] = segments[i];
            }
            else if (!string.Equals(template, segments[i], StringComparison.Ordinal))
            {
                return null;
            }
        }

        return values;
    }
}
