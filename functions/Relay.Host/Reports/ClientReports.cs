using System.Text.Json;
using Microsoft.Extensions.Options;
using Relay.Core.Errors;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using EventId = Relay.Core.Identifiers.EventId;
using Relay.Core.Reports;
using Relay.Host.Configuration;
using Relay.Host.Appservice;
using Relay.Host.Http;

namespace Relay.Host.Reports;

/// <summary>
/// The client report endpoints: check the token, validate, resolve the target with the reporter's
/// token, file through <see cref="ReportIntake"/>. Answers 200 only after the report is stored.
/// </summary>
public sealed class ClientReports(
    ReporterAuthenticator authenticator,
    IHomeserver homeserver,
    ComplaintTargetResolver complaints,
    ReportIntake intake,
    IOptions<RelayOptions> options,
    ProtectionNotices protection,
    TimeProvider time,
    ILogger<ClientReports> logger)
{
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>How long a room report waits to learn who invited the reporter before it is filed without an inviter.</summary>
    public static readonly TimeSpan InviterLookupTimeout = TimeSpan.FromSeconds(5);

    public async Task<IResult> ReportEventAsync(string roomId, string eventId, HttpRequest request, CancellationToken cancellationToken)
    {
        if (AccessToken.From(request) is not { } token)
        {
            return MatrixResults.Error(MatrixError.MissingToken());
        }
        if (!RoomId.TryParse(roomId, out var room) || !EventId.TryParse(eventId, out var eventRef))
        {
            return MatrixResults.Error(MatrixError.InvalidParam("The room or event ID is not valid."));
        }
        var (document, error) = await JsonBody.ReadObjectAsync(request, MaxBodyBytes, cancellationToken);
        using (document)
        {
            if (error is not null || !LegacyReportBody.TryRead(document!.RootElement, false, out var body, out error))
            {
                return MatrixResults.Error(error!);
            }
            var reporter = await authenticator.AuthenticateAsync(token, cancellationToken);
            var facts = await homeserver.GetEventAsync(token, room, eventRef, cancellationToken);
            var target = new ReportTarget.Event(room, eventRef, facts.Sender, facts.Type);
            var outcome = await intake.FileAsync(new ReportSubmission(
                Reporter.Matrix(reporter.UserId), target, null, body.Reason, ReportSource.ClientEventReport), cancellationToken);
            if (outcome is IntakeOutcome.Filed && ShouldForward(body.Routing))
            {
                await ForwardAsync(token, room, eventRef, body, cancellationToken);
            }
            return await AnswerAsync(outcome, MatrixResults.Empty(), cancellationToken);
        }
    }

    public Task<IResult> ReportRoomAsync(string roomId, HttpRequest request, CancellationToken cancellationToken) =>
        RoomId.TryParse(roomId, out var room)
            ? ReportWithReasonAsync(request, new ReportTarget.RoomTarget(room), ReportSource.ClientRoomReport, cancellationToken,
                (token, reporter, ct) => InviteTargetAsync(token, reporter, room, ct))
            : InvalidId("room");

    public Task<IResult> ReportUserAsync(string userId, HttpRequest request, CancellationToken cancellationToken) =>
        UserId.TryParse(userId, out var user)
            ? ReportWithReasonAsync(request, new ReportTarget.UserTarget(user), ReportSource.ClientUserReport, cancellationToken)
            : InvalidId("user");

    public async Task<IResult> SafetyReportAsync(string txnId, HttpRequest request, CancellationToken cancellationToken)
    {
        if (AccessToken.From(request) is not { } token)
        {
            return MatrixResults.Error(MatrixError.MissingToken());
        }
        if (!IsTransactionId(txnId))
        {
            return MatrixResults.Error(MatrixError.InvalidParam("The transaction ID is not valid."));
        }
        var (document, error) = await JsonBody.ReadObjectAsync(request, MaxBodyBytes, cancellationToken);
        using (document)
        {
            if (error is not null || !SafetyComplaint.TryRead(document!.RootElement, out var complaint, out error))
            {
                return MatrixResults.Error(error!);
            }
            var reporter = await authenticator.AuthenticateAsync(token, cancellationToken);
            var target = await complaints.ResolveAsync(token, complaint!, cancellationToken);
            if (target is ReportTarget.RoomTarget { IsInvite: false } room
                && await InviteTargetAsync(token, reporter.UserId, room.RoomId, cancellationToken) is { } invite)
            {
                target = invite;
            }
            var outcome = await intake.FileAsync(new ReportSubmission(Reporter.Matrix(reporter.UserId), target, complaint!.Harm,
                complaint.Description, ReportSource.SafetyReportApi, txnId), cancellationToken);
            var reportId = outcome switch
            {
                IntakeOutcome.Filed filed => filed.Report.Id,
                IntakeOutcome.Replayed replayed => replayed.Report.Id,
                _ => "",
            };
            return await AnswerAsync(outcome, TypedResults.Json(new SafetyReportResponse(reportId), HostJson.Context.SafetyReportResponse), cancellationToken);
        }
    }

    private async Task<IResult> ReportWithReasonAsync(HttpRequest request, ReportTarget target, ReportSource source,
        CancellationToken cancellationToken, Func<string, UserId, CancellationToken, Task<ReportTarget?>>? refine = null)
    {
        if (AccessToken.From(request) is not { } token)
        {
            return MatrixResults.Error(MatrixError.MissingToken());
        }
        var (document, error) = await JsonBody.ReadObjectAsync(request, MaxBodyBytes, cancellationToken);
        using (document)
        {
            if (error is not null || !LegacyReportBody.TryRead(document!.RootElement, true, out var body, out error))
            {
                return MatrixResults.Error(error!);
            }
            var reporter = await authenticator.AuthenticateAsync(token, cancellationToken);
            if (refine is not null && await refine(token, reporter.UserId, cancellationToken) is { } refined)
            {
                target = refined;
            }
            var outcome = await intake.FileAsync(
                new ReportSubmission(Reporter.Matrix(reporter.UserId), target, null, body.Reason, source), cancellationToken);
            return await AnswerAsync(outcome, MatrixResults.Empty(), cancellationToken);
        }
    }

    private async Task<IResult> AnswerAsync(IntakeOutcome outcome, IResult success, CancellationToken cancellationToken)
    {
        await protection.WarnIfUnprotectedAsync(outcome, cancellationToken);
        switch (outcome)
        {
            case IntakeOutcome.RateLimited limited:
                return MatrixResults.Error(MatrixError.LimitExceeded(limited.RetryAfter));
            case IntakeOutcome.Filed filed:
                logger.LogInformation("Report {ReportId} filed into case {CaseId} (new case: {OpenedCase}, source {Source})",
                    filed.Report.Id, filed.Case.Id, filed.OpenedCase, filed.Report.Source);
                return success;
            default:
                return success;
        }
    }

    /// <summary>
    /// Invite spam (the seeds' case): a reporter who was only invited to <paramref name="room"/> (or rejected the invite)
    /// reports it, and the case is about whoever invited them. A room the community protects stays a plain room report, its
    /// moderators' to handle. Bounded by <see cref="InviterLookupTimeout"/>; when the inviter cannot be learnt the report is
    /// filed about the room alone, never refused.
    /// </summary>
    private async Task<ReportTarget?> InviteTargetAsync(string token, UserId reporter, RoomId room, CancellationToken cancellationToken)
    {
        if (await protection.IsProtectedAsync(room, cancellationToken))
        {
            return null;
        }
        using var timeout = new CancellationTokenSource(InviterLookupTimeout, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await homeserver.FindInviterAsync(token, reporter, room, bounded.Token) is { } inviter && inviter != reporter
                ? new ReportTarget.RoomTarget(room, inviter)
                : null;
        }
        catch (Exception e) when (e is MatrixException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Could not learn who invited the reporter of room {RoomId}; filing it as a room report: {ErrorType}",
                room, e is MatrixException m ? m.Error.ErrCode : "timeout");
            return null;
        }
    }

    private bool ShouldForward(ReportRouting routing) =>
        routing == ReportRouting.HomeserverAdmins
        || (routing == ReportRouting.Unspecified && options.Value.Reports.ForwardToHomeserverByDefault);

    /// <summary>
    /// The report is already stored for the moderators; forwarding is for the homeserver's admins too.
    /// Its failure is logged and does not undo or fail the report.
    /// </summary>
    private async Task ForwardAsync(string token, RoomId room, EventId eventId, LegacyReportBody body, CancellationToken cancellationToken)
    {
        try
        {
            await homeserver.ForwardEventReportAsync(token, room, eventId, body.Reason, body.Score, cancellationToken);
        }
        catch (MatrixException e)
        {
            logger.LogWarning("Forwarding a report to the homeserver failed: {ErrCode} ({Status})", e.Error.ErrCode, e.Error.Status);
        }
    }

    private static Task<IResult> InvalidId(string kind) =>
        Task.FromResult<IResult>(MatrixResults.Error(MatrixError.InvalidParam($"The {kind} ID is not valid.")));

    private static bool IsTransactionId(string txnId) =>
        txnId.Length is > 0 and <= 255 && txnId.All(c => c is > ' ' and <= '~' and not '/');
}
