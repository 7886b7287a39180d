using System.Text;
using System.Text.Json;
using Relay.Core.Errors;
using Relay.Host.Http;

namespace Relay.Host.Reports;

/// <summary>
/// Body of the spec's three report endpoints: <c>reason</c>, the legacy <c>score</c> (not used by Relay, but kept
/// for the homeserver's admins when the report is forwarded: a homeserver stores it), and MSC2938's <c>target</c>.
/// </summary>
public sealed record LegacyReportBody(string? Reason, ReportRouting Routing, long? Score = null)
{
    public const int MaxReasonBytes = 1024;

    public static bool TryRead(JsonElement body, bool reasonRequired, out LegacyReportBody result, out MatrixError? error)
    {
        result = new LegacyReportBody(null, ReportRouting.Unspecified);
        string? reason;
        if (reasonRequired)
        {
            if (!JsonBody.TryGetRequiredString(body, "reason", out var required, out error))
            {
                return false;
            }
            reason = required;
        }
        else if (!JsonBody.TryGetOptionalString(body, "reason", out reason, out error))
        {
            return false;
        }
        if (reason is not null && Encoding.UTF8.GetByteCount(reason) > MaxReasonBytes)
        {
            error = MatrixError.InvalidParam($"'reason' is longer than {MaxReasonBytes} bytes.");
            return false;
        }
        if (body.TryGetProperty("score", out var score) && score.ValueKind is not (JsonValueKind.Number or JsonValueKind.Null))
        {
            error = MatrixError.BadJson("'score' must be a number.");
            return false;
        }
        // The spec's score is an integer; a homeserver refuses any other number, so only an integer is forwarded.
        long? forwardedScore = score.ValueKind == JsonValueKind.Number && score.TryGetInt64(out var whole) ? whole : null;
        if (!TryReadRouting(body, out var routing, out error))
        {
            return false;
        }
        result = new LegacyReportBody(string.IsNullOrWhiteSpace(reason) ? null : reason, routing, forwardedScore);
        return true;
    }

    private static bool TryReadRouting(JsonElement body, out ReportRouting routing, out MatrixError? error)
    {
        routing = ReportRouting.Unspecified;
        if (!JsonBody.TryGetOptionalString(body, "target", out var target, out error))
        {
            return false;
        }
        switch (target)
        {
            case null:
                return true;
            case "room_moderators":
                routing = ReportRouting.RoomModerators;
                return true;
            case "homeserver_admins":
                routing = ReportRouting.HomeserverAdmins;
                return true;
            default:
                error = MatrixError.InvalidParam("'target' must be 'room_moderators' or 'homeserver_admins'.");
                return false;
        }
    }
}

/// <summary>MSC2938's choice of who hears about a report. Moderators always do, through Relay.</summary>
public enum ReportRouting
{
    Unspecified,
    RoomModerators,
    HomeserverAdmins,
}
