using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Relay.Tests.Escalation.Fakes;

/// <summary>
/// A homeserver's web server for <c>/.well-known/matrix/support</c> on 127.0.0.1: <c>localhost:port</c> is a valid Matrix
/// server name, so users <c>@x:localhost:port</c> live "on" it (Relay must be told to allow loopback:
/// <c>OutboundAddressPolicy.AllowingLoopback</c>). <see cref="Answer"/> picks good, missing,
/// malformed, oversized or redirecting answers.
/// </summary>
public sealed class SupportServer : IAsyncDisposable
{
    private LoopbackHttp? _http;

    public Func<HttpContext, Task> Answer { get; set; } = Missing;

    public int Requests;

    /// <summary>By name, not IP literal (Relay refuses those): localhost resolves to loopback, which tests allow.</summary>
    public string ServerName => "localhost" + _http!.Authority[_http.Authority.LastIndexOf(':')..];

    public string User(string localpart) => $"@{localpart}:{ServerName}";

    public static async Task<SupportServer> StartAsync()
    {
        var server = new SupportServer();
        server._http = await LoopbackHttp.StartAsync(server.HandleAsync);
        return server;
    }

    private Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path == "/.well-known/matrix/support")
        {
            Interlocked.Increment(ref Requests);
            return Answer(context);
        }
        if (context.Request.Path == "/moved/support")
        {
            return Json(context, Contacts(("m.role.admin", "@moved:example.org", null)));
        }
        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    }

    public static JsonObject Contacts(params (string Role, string? MatrixId, string? Email)[] contacts)
    {
        var array = new JsonArray();
        foreach (var (role, mxid, email) in contacts)
        {
            var c = new JsonObject { ["role"] = role };
            if (mxid is not null)
            {
                c["matrix_id"] = mxid;
            }
            if (email is not null)
            {
                c["email_address"] = email;
            }
            array.Add(c);
        }
        return new JsonObject { ["contacts"] = array, ["support_page"] = "https://example.org/support" };
    }

    public static Func<HttpContext, Task> Good(JsonObject body) => context => Json(context, body);

    public static Task Missing(HttpContext context)
    {
        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    }

    public static Task Malformed(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("{\"contacts\": [ {\"role\": ");
    }

    public static Task Oversized(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        var padding = new string('x', 70 * 1024);
        return context.Response.WriteAsync($"{{\"contacts\":[{{\"role\":\"m.role.admin\",\"email_address\":\"a@example.org\"}}],\"pad\":\"{padding}\"}}");
    }

    public static Func<HttpContext, Task> RedirectTo(string location) => context =>
    {
        context.Response.StatusCode = 302;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    };

    public static Task Json(HttpContext context, JsonObject body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_http is not null)
        {
            await _http.DisposeAsync();
        }
    }
}
