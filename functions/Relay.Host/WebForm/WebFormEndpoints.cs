namespace Relay.Host.WebForm;

/// <summary>The web form for reporters without a Matrix account (or without their client at hand): <c>GET/POST /report</c>.</summary>
public static class WebFormEndpoints
{
    public static IServiceCollection AddRelayWebForm(this IServiceCollection services) =>
        services.AddSingleton<WebFormReports>();

    public static IEndpointRouteBuilder MapWebForm(this IEndpointRouteBuilder app)
    {
        app.MapGet("/report", Show);
        app.MapPost("/report", Submit);
        return app;
    }

    private static IResult Show() => WebFormReports.Show();

    private static Task<IResult> Submit(HttpContext context, WebFormReports reports, CancellationToken cancellationToken) =>
        reports.SubmitAsync(context, cancellationToken);
}
