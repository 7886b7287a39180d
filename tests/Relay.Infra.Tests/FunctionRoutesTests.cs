using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace Relay.Infra.Tests;

/// <summary>
/// The HTTP functions' routes are the public surface and nothing else: every path relay serves to the public is
/// reachable through one, and no trigger path (<c>/OpenCase</c>, <c>/Sweep</c>…) is, whatever its case, so the
/// header check in FunctionTriggerEndpoints is a second guard and not the only one.
/// </summary>
public sealed class FunctionRoutesTests
{
    /// <summary>Served by <c>relay serve</c> for local liveness checks; in Azure the Functions host answers <c>/</c> itself.</summary>
    private static readonly string[] LocalOnly = [""];

    private static readonly IReadOnlyList<(string Function, TemplateMatcher Matcher, string[] Methods)> HttpRoutes =
    [
        .. Repository.FunctionNames()
            .Select(f => (Function: f, Trigger: FunctionsLayoutTests.Trigger(f)))
            .Where(f => (string?)f.Trigger["type"] == "httpTrigger")
            .Select(f => (f.Function,
                new TemplateMatcher(TemplateParser.Parse((string)f.Trigger["route"]!), new RouteValueDictionary()),
                f.Trigger["methods"]!.AsArray().Select(m => ((string)m!).ToUpperInvariant()).ToArray())),
    ];

    [Fact]
    public void Every_public_route_is_reachable_through_an_http_function_with_its_methods()
    {
        // Every optional feature on, so its routes are checked too.
        using var app = FunctionsLayoutTests.BuildAzureApp("--Relay:Dashboard:Enabled=true");
        var triggers = TriggerNames();
        var checkedRoutes = 0;

        foreach (var endpoint in Endpoints(app).Where(e => !triggers.Contains(e.RoutePattern.RawText!.Trim('/'))))
        {
            var path = SamplePath(endpoint.RoutePattern);
            if (LocalOnly.Contains(path.Trim('/')))
            {
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
            {
                Assert.True(Reachable(path, method), $"{method} {path} ({endpoint.RoutePattern.RawText}) is served but no HTTP function routes it");
            }
            checkedRoutes++;
        }
        Assert.True(checkedRoutes >= 20, $"only {checkedRoutes} public routes were found");
    }

    [Fact]
    public void No_trigger_path_is_reachable_through_an_http_function()
    {
        using var app = FunctionsLayoutTests.BuildAzureApp();
        var served = Endpoints(app).Select(e => e.RoutePattern.RawText!.Trim('/')).ToHashSet(StringComparer.Ordinal);
        var triggers = TriggerNames();

        Assert.NotEmpty(triggers);
        foreach (var trigger in triggers)
        {
            Assert.Contains(trigger, served);
            foreach (var path in new[] { "/" + trigger, "/" + trigger.ToLowerInvariant(), "/" + trigger.ToUpperInvariant(), "/" + trigger + "/" })
            {
                Assert.False(Reachable(path, "POST"), $"POST {path} reaches an HTTP function, so the public could invoke {trigger}");
            }
        }
    }

    private static HashSet<string> TriggerNames() =>
        Repository.FunctionNames().Where(f => (string?)FunctionsLayoutTests.Trigger(f)["type"] != "httpTrigger").ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<RouteEndpoint> Endpoints(WebApplication app) =>
        ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>();

    /// <summary>Routing in the Functions host is case-insensitive, as ASP.NET Core's template matching is.</summary>
    private static bool Reachable(string path, string method) =>
        HttpRoutes.Any(r => r.Methods.Contains(method, StringComparer.OrdinalIgnoreCase) && r.Matcher.TryMatch(path, new RouteValueDictionary()));

    private static string SamplePath(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => "sample-" + parameter.Name,
            _ => "",
        }))));
}
