namespace Relay.TestHomeserver.Http;

/// <summary>All served routes; finds the route for a request or the Matrix error for an unknown path or method.</summary>
internal sealed class RouteTable
{
    private readonly List<Route> _routes = [];

    /// <summary>Adds a client-server route under each given version prefix (e.g. "v3", "r0").</summary>
    public RouteTable Client(string method, string template, AuthMode auth, RouteHandler handler, params string[] versions)
    {
        foreach (var version in versions.Length == 0 ? ["v3", "r0"] : versions)
        {
            Add(method, $"/_matrix/client/{version}/{template.TrimStart('/')}", auth, handler);
        }

        return this;
    }

    public RouteTable Add(string method, string template, AuthMode auth, RouteHandler handler)
    {
        var hasBody = method is "POST" or "PUT";
        _routes.Add(new Route(method, template, auth, hasBody, handler));
        return this;
    }

    public (Route Route, Dictionary<string, string> Values) Find(string method, IReadOnlyList<string> segments)
    {
        var pathKnown = false;
        foreach (var route in _routes)
        {
            var values = route.Match(segments);
            if (values is null)
            {
                continue;
            }

            if (string.Equals(route.Method, method, StringComparison.Ordinal))
            {
                return (route, values);
            }

            pathKnown = true;
        }

        throw pathKnown ? MatrixException.MethodNotAllowed() : MatrixException.UnrecognizedPath();
    }
}
