using Microsoft.Extensions.Options;
using Relay.Core;
using Relay.Core.Appservice;
using Relay.Core.Cases;
using Relay.Core.Errors;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Core.Memory;
using Relay.Core.Reports;
using Relay.Host.Configuration;
using Relay.Host.Http;

namespace Relay.Host.WebForm;

/// <summary>
/// The web form for reporters outside Matrix. A report is taken only about a room Relay protects (or is
/// configured with), and an event only if the bot can fetch it there; its sender and type are kept, never its
/// content. Reports are unauthenticated: they are counted by contact e-mail, else by client address, and each
/// address may send only a few a minute. Every answer is a page: the form again with a message per field, or a
/// confirmation with the case reference.
/// </summary>
public sealed class WebFormReports(
    IMatrixBot bot,
    IProtectedRoomStore protectedRooms,
    ReportIntake intake,
    ReporterHasher hasher,
    UlidGenerator ids,
    IOptions<RelayOptions> options,
    TimeProvider time,
    CacheLimits limits,
    ILogger<WebFormReports> logger)
{
    public const int MaxBodyBytes = 16 * 1024;

    private readonly SlidingWindowLimiter _perAddress =
        new(options.Value.Reports.WebFormPerAddressPerMinute, TimeSpan.FromMinutes(1), time, limits.RateLimitKeys);

    public static IResult Show() => new HtmlPage(WebFormPage.Form(WebFormInput.Empty));

    public async Task<IResult> SubmitAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var (form, failure) = await ReadFormAsync(context, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }
        var input = WebFormInput.From(form!);
        if (input.IsHoneypotFilled)
        {
            // A bot: thank it like anyone else, with a reference that names no case, and store nothing.
            logger.LogInformation("Web form: the hidden field was filled in; nothing was stored");
            return new HtmlPage(WebFormPage.Confirmation(CaseId.Parse(ids.Next()).Short));
        }
        if (!input.Validate())
        {
            return Form(input, StatusCodes.Status400BadRequest);
        }
        var address = ClientAddress.Of(context);
        if (!_perAddress.TryAcquire(hasher.Hash("webform-address:" + address), out var wait))
        {
            return RateLimited(input, wait);
        }
        try
        {
            if (await ResolveAsync(input, cancellationToken) is not { } target)
            {
                return Form(input, StatusCodes.Status400BadRequest);
            }
            var outcome = await intake.FileAsync(new ReportSubmission(Reporter.WebForm(address, input.ContactEmail), target,
                input.HarmCategory, input.Reason, ReportSource.WebForm), cancellationToken);
            switch (outcome)
            {
                case IntakeOutcome.Filed filed:
                    logger.LogInformation("Report {ReportId} filed into case {CaseId} (new case: {OpenedCase}, source {Source})",
                        filed.Report.Id, filed.Case.Id, filed.OpenedCase, ReportSource.WebForm);
                    return new HtmlPage(WebFormPage.Confirmation(filed.Case.Id.Short));
                case IntakeOutcome.RateLimited limited:
                    return RateLimited(input, limited.RetryAfter);
                default:
                    throw new InvalidOperationException("A web report has no transaction ID, so it cannot be a replay.");
            }
        }
        catch (MatrixException e) when (e.Error.Status is >= 400 and < 500 and not 429)
        {
            logger.LogInformation("Web form: the homeserver answered {ErrCode} ({Status}) looking up the target",
                e.Error.ErrCode, e.Error.Status);
            input.AddError(WebFormInput.LinkField,
                "Relay could not look up that room or message. Check the link, or report from your Matrix client.");
            return Form(input, StatusCodes.Status400BadRequest);
        }
        catch (MatrixException e)
        {
            logger.LogWarning("Web form: the homeserver could not be reached: {ErrCode} ({Status})", e.Error.ErrCode, e.Error.Status);
            return Form(input, StatusCodes.Status502BadGateway,
                "Relay could not reach the Matrix server just now, so nothing was stored. Please try again in a few minutes.");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or ConcurrencyConflictException)
        {
            logger.LogError("Web form: store unavailable: {ErrorType}", e.GetType().Name);
            return Form(input, StatusCodes.Status503ServiceUnavailable,
                "Relay could not store your report just now, so nothing was recorded. Please try again in a few minutes.");
        }
    }

    /// <summary>The room and event the link names, checked as the bot; null (with an error on the link) when Relay cannot take it.</summary>
    private async Task<ReportTarget?> ResolveAsync(WebFormInput input, CancellationToken cancellationToken)
    {
        RoomId room;
        if (input.RoomAlias is { } alias)
        {
            if (await bot.ResolveAliasAsync(alias, cancellationToken) is not { } resolved)
            {
                input.AddError(WebFormInput.LinkField, $"No room has the address {alias.Value}. Check the link.");
                return null;
            }
            room = resolved;
        }
        else
        {
            room = input.RoomId!.Value;
        }
        if (!await IsProtectedAsync(room, cancellationToken))
        {
            input.AddError(WebFormInput.LinkField, "Relay does not look after this room, so it cannot take reports about it. "
                + "Report it from your Matrix client, or to the room's moderators.");
            return null;
        }
        if (input.EventId is not { } eventId)
        {
            return new ReportTarget.RoomTarget(room);
        }
        if (await bot.GetEventAsync(room, eventId, cancellationToken) is not { } reported)
        {
            input.AddError(WebFormInput.LinkField,
                "Relay could not find that message in the room. It may have been deleted, or the link may be incomplete.");
            return null;
        }
        return new ReportTarget.Event(reported.RoomId, reported.EventId, reported.Sender, reported.Type);
    }

    private async Task<bool> IsProtectedAsync(RoomId room, CancellationToken cancellationToken) =>
        options.Value.Reports.ProtectedRooms.Contains(room.Value, StringComparer.Ordinal)
        || await protectedRooms.IsProtectedAsync(room, cancellationToken);

    private static async Task<(IFormCollection? Form, IResult? Failure)> ReadFormAsync(HttpContext context,
        CancellationToken cancellationToken)
    {
        var read = await FormBody.ReadAsync(context, MaxBodyBytes, cancellationToken);
        return read switch
        {
            { IsRead: true } => (read.Form, null),
            { Status: StatusCodes.Status413PayloadTooLarge } => (null, TooLarge()),
            _ => (null, Form(WebFormInput.Empty, read.Status, read.Problem)),
        };
    }

    private static HtmlPage TooLarge() => Form(WebFormInput.Empty, StatusCodes.Status413PayloadTooLarge,
        $"The form was larger than {MaxBodyBytes / 1024} KiB, so it was not read. Please shorten the description.");

    private static HtmlPage RateLimited(WebFormInput input, TimeSpan wait) =>
        new(WebFormPage.Form(input, "Too many reports have come from your network in the last minute, so this one was not "
            + "sent. Please wait a minute and send it again."), StatusCodes.Status429TooManyRequests, wait);

    private static HtmlPage Form(WebFormInput input, int status, string? problem = null) =>
        new(WebFormPage.Form(input, problem), status);
}
