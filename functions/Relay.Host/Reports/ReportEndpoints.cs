namespace Relay.Host.Reports;

/// <summary>
/// The client report routes, for a homeserver operator who routes them to Relay: the spec's three
/// endpoints (v3 and legacy r0 for events) and the reporting-v2 draft (MSC4457).
/// </summary>
public static class ReportEndpoints
{
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var client = app.MapGroup("/_matrix/client");
        client.MapPost("/v3/rooms/{roomId}/report/{eventId}", ReportEvent);
        client.MapPost("/r0/rooms/{roomId}/report/{eventId}", ReportEvent);
        client.MapPost("/v3/rooms/{roomId}/report", ReportRoom);
        client.MapPost("/v3/users/{userId}/report", ReportUser);
        client.MapPost("/unstable/org.matrix.msc4457/safety/report/{txnId}", SafetyReport);
        return app;
    }

    private static Task<IResult> ReportEvent(string roomId, string eventId, HttpRequest request, ClientReports reports,
        CancellationToken cancellationToken) =>
        reports.ReportEventAsync(roomId, eventId, request, cancellationToken);

    private static Task<IResult> ReportRoom(string roomId, HttpRequest request, ClientReports reports,
        CancellationToken cancellationToken) =>
        reports.ReportRoomAsync(roomId, request, cancellationToken);

    private static Task<IResult> ReportUser(string userId, HttpRequest request, ClientReports reports,
        CancellationToken cancellationToken) =>
        reports.ReportUserAsync(userId, request, cancellationToken);

    private static Task<IResult> SafetyReport(string txnId, HttpRequest request, ClientReports reports,
        CancellationToken cancellationToken) =>
        reports.SafetyReportAsync(txnId, request, cancellationToken);
}
