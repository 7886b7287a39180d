namespace Relay.Host.Appservice;

/// <summary>
/// The application-service API (application-service/*.yaml) under <c>/_matrix/app/v1</c>, and the legacy
/// unprefixed paths older homeservers still call. Every route checks the hs_token itself.
/// </summary>
public static class AppserviceEndpoints
{
    public static IEndpointRouteBuilder MapAppservice(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in (string[])["/_matrix/app/v1", ""])
        {
            app.MapPut(prefix + "/transactions/{txnId}", PutTransaction);
            app.MapGet(prefix + "/users/{userId}", QueryUser);
            app.MapGet(prefix + "/rooms/{alias}", QueryRoom);
        }
        app.MapPost("/_matrix/app/v1/ping", Ping);
        return app;
    }

    private static Task<IResult> PutTransaction(string txnId, HttpRequest request, AppserviceTransactions appservice,
        CancellationToken cancellationToken) =>
        appservice.PutTransactionAsync(txnId, request, cancellationToken);

    private static IResult Ping(HttpRequest request, AppserviceTransactions appservice) => appservice.Ping(request);

    private static IResult QueryUser(string userId, HttpRequest request, AppserviceTransactions appservice) =>
        appservice.QueryUser(userId, request);

    private static IResult QueryRoom(string alias, HttpRequest request, AppserviceTransactions appservice) =>
        appservice.QueryRoom(alias, request);
}
